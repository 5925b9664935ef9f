// A local HTTP server that REPLAYS THE SHAPES of Microsoft's download protocol (download page,
// session permit, SKU list, link request; the Evaluation Center page and its fwlink redirect)
// and serves a small stand-in "ISO", and a tiny drivers ISO as a mirror of virtio-win would.
// Microsoft's servers cannot be reached here: this replay is the only way the supervisor's real
// flow runs end to end in tests. It listens on all addresses so VM containers reach it at the
// docker0 gateway; it logs every request.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeIso } from './boot-iso';

export interface ReplayRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  referer?: string;
}

export type ReplayMode = 'ok' | 'sentinel-block' | 'rate-limit';

export class MicrosoftReplayServer {
  readonly requests: ReplayRequest[] = [];
  mode: ReplayMode = 'ok';
  /** Served slowly so progress shows: chunk size and pause between chunks. */
  chunkBytes = 64 * 1024;
  chunkDelayMs = 40;
  private server: Server | undefined;
  readonly iso: Buffer;
  readonly isoSha256: string;
  /** A drivers ISO (a real, tiny ISO 9660 image) served at /virtio-win/virtio-win.iso. */
  readonly driversIso = makeIso('VIRTIO_WIN_REPLAY', {
    'VIOSTOR.INF': '[Version]',
    'NETKVM.INF': '[Version]',
  });
  readonly driversSha256 = createHash('sha256').update(this.driversIso).digest('hex');

  constructor(isoBytes = 4 * 1024 * 1024) {
    // Any file does for an ISO here: the supervisor fetches, hashes and caches bytes.
    this.iso = randomBytes(isoBytes);
    this.isoSha256 = createHash('sha256').update(this.iso).digest('hex');
  }

  async start(): Promise<number> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '0.0.0.0', resolve));
    return this.port;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** The origin containers use (the docker0 gateway) or the host uses (127.0.0.1). */
  origin(host: string): string {
    return `http://${host}:${this.port}`;
  }

  isoRequests(): ReplayRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/iso/') && r.method === 'GET');
  }

  driversRequests(): ReplayRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/virtio-win/') && r.method === 'GET');
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const origin = `http://${req.headers.host}`;
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      referer: req.headers.referer,
    });
    const send = (status: number, body: string, type = 'text/html') => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    const path = url.pathname;
    if (path === '/en-us/software-download/windows11' || path === '/en-us/software-download/windows10ISO')
      return send(
        200,
        '<select id="product-edition"><option value="" selected>Select Download</option>' +
          '<option value="3113">Windows 11 (multi-edition ISO for x64 devices)</option></select>',
      );
    if (path === '/tags') return send(200, '');
    if (path === '/software-download-connector/api/getskuinformationbyproductedition')
      return send(
        200,
        JSON.stringify({
          Skus: [
            { Id: '18441', Language: 'English', LocalizedLanguage: 'English (United States)' },
            { Id: '18442', Language: 'English International', LocalizedLanguage: 'English International' },
          ],
        }),
        'application/json',
      );
    if (path === '/software-download-connector/api/GetProductDownloadLinksBySku') {
      if (this.mode === 'rate-limit') return send(429, 'Too Many Requests', 'text/plain');
      if (this.mode === 'sentinel-block')
        return send(
          200,
          JSON.stringify({
            Errors: [
              {
                Key: 'ErrorSettings.SentinelReject',
                Value: 'Sentinel marked this request as rejected.',
                Type: 9,
              },
            ],
          }),
          'application/json',
        );
      const token = randomBytes(6).toString('hex');
      return send(
        200,
        JSON.stringify({
          ProductDownloadOptions: [
            { Uri: `${origin}/iso/Win11_English_Arm64.iso?t=${token}`, DownloadType: 2 },
            { Uri: `${origin}/iso/Win11_English_x64.iso?t=${token}`, DownloadType: 1 },
          ],
        }),
        'application/json',
      );
    }
    if (path.startsWith('/en-us/evalcenter/download-'))
      return send(
        200,
        `<a href="${origin}/fwlink/?linkid=2293312&amp;clcid=0x409&amp;culture=en-us&amp;country=us">ISO</a>` +
          `<a href="${origin}/fwlink/?linkid=2293215&amp;clcid=0x409&amp;culture=en-us&amp;country=us">VHD</a>`,
      );
    if (path === '/fwlink/') {
      res.writeHead(302, { Location: `${origin}/iso/SERVER_EVAL_x64FRE_en-us.iso` });
      return void res.end();
    }
    if (path === '/virtio-win/virtio-win.iso') {
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': this.driversIso.length,
      });
      return void res.end(req.method === 'HEAD' ? undefined : this.driversIso);
    }
    if (path.startsWith('/iso/')) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': this.iso.length });
      if (req.method === 'HEAD') return void res.end();
      for (let at = 0; at < this.iso.length; at += this.chunkBytes) {
        if (res.destroyed) return;
        res.write(this.iso.subarray(at, at + this.chunkBytes));
        await new Promise((resolve) => setTimeout(resolve, this.chunkDelayMs));
      }
      return void res.end();
    }
    send(404, 'not found', 'text/plain');
  }
}
