// A local HTTP server that REPLAYS THE SHAPES of Microsoft's download protocol (download page,
// session permit, the ov-df check, SKU list, link request; the Evaluation Center pages and their
// fwlink redirects) and serves a small stand-in "ISO", and a tiny drivers ISO as a mirror of
// virtio-win would. The shapes are those dockur's src/mido.sh drives today: the SKU list and
// the link are refused (Sentinel) for a session that did not pass the ov-df check, current
// Evaluation Center pages write culture=en-us into every language's link (the redirect target
// names the language), and link 2 of Windows 11 Enterprise's page is the arm64 ISO.
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

export type ReplayMode = 'ok' | 'sentinel-block' | 'rate-limit' | 'unable';

/** The current Windows 11 Enterprise page's links: linkid -> the ISO its fwlink redirects to. */
export const ENTERPRISE_LINKS: Record<string, string> = {
  '2334167':
    '26200.6584.250915-1905.25h2_ge_release_svc_refresh_CLIENTENTERPRISEEVAL_OEMRET_x64FRE_en-us.iso',
  '2334168':
    '26200.6584.250915-1905.25h2_ge_release_svc_refresh_CLIENTENTERPRISEEVAL_OEMRET_A64FRE_en-us.iso',
  '2334240':
    '26200.6584.250915-1905.25h2_ge_release_svc_refresh_CLIENTENTERPRISEEVAL_OEMRET_x64FRE_de-de.iso',
  '2334241':
    '26200.6584.250915-1905.25h2_ge_release_svc_refresh_CLIENTENTERPRISEEVAL_OEMRET_A64FRE_de-de.iso',
};
const OV_INSTANCE = '560dc9f3-1aa5-4a2f-b63c-9e18f8d0e175';

const SENTINEL = JSON.stringify({
  Errors: [
    { Key: 'ErrorSettings.SentinelReject', Value: 'Sentinel marked this request as rejected.', Type: 9 },
  ],
});

export class MicrosoftReplayServer {
  readonly requests: ReplayRequest[] = [];
  mode: ReplayMode = 'ok';
  /** Sessions that passed the ov-df check; the challenge handed to each session. */
  readonly ovPassed = new Set<string>();
  private readonly ovChallenges = new Map<string, { w: string; rticks: string }>();
  /** Paths under /iso/ that answer 404 (a stale pin). */
  readonly gone = new Set<string>();
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
    // A real (tiny) ISO 9660 image around random bytes: the supervisor fetches, hashes and caches
    // it, and reads it for an install image list (it has none: the stand-in guest boots).
    this.iso = makeIso('WIN_REPLAY', {
      'README.TXT': 'windock replay media',
      'PAYLOAD.BIN': randomBytes(isoBytes),
    });
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

  /** ov-df's mdt.js: a script with a per-session token (`w`) and timing value (`rticks`). */
  private ovScript(url: URL, send: (status: number, body: string, type?: string) => void): void {
    const session = url.searchParams.get('session_id') ?? '';
    if (url.searchParams.get('instanceId') !== OV_INSTANCE || !session)
      return send(400, 'bad request', 'text/plain');
    const challenge = {
      w: randomBytes(8).toString('hex').toUpperCase(),
      rticks: String(Date.now() * 10_000),
    };
    this.ovChallenges.set(session, challenge);
    send(
      200,
      `(function(){var u="https://ov-df.microsoft.com/?session_id=${session}&CustomerId=${OV_INSTANCE}&PageId=si&w=${challenge.w}";` +
        `var o={rticks="+${challenge.rticks}"};})();`,
      'application/javascript',
    );
  }

  /** ov-df's reply: the session passes when w and rticks are its own and mdt is about now. */
  private ovReply(url: URL, send: (status: number, body: string, type?: string) => void): void {
    const q = Object.fromEntries(url.searchParams);
    const challenge = this.ovChallenges.get(q.session_id ?? '');
    const timely = Math.abs(Number(q.mdt) - Date.now()) < 60_000;
    if (
      challenge &&
      q.CustomerId === OV_INSTANCE &&
      q.w === challenge.w &&
      q.rticks === challenge.rticks &&
      timely
    )
      this.ovPassed.add(q.session_id!);
    send(200, '');
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
    if (path === '/mdt.js') return this.ovScript(url, send);
    if (path === '/' && url.searchParams.has('w')) return this.ovReply(url, send);
    const session = url.searchParams.get('sessionID') ?? '';
    if (path.startsWith('/software-download-connector/') && !this.ovPassed.has(session))
      return send(200, SENTINEL, 'application/json');
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
      if (this.mode === 'sentinel-block') return send(200, SENTINEL, 'application/json');
      if (this.mode === 'unable')
        return send(200, '<div>We are unable to complete your request at this time.</div>');
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
    if (path === '/en-us/evalcenter/download-windows-11-enterprise')
      return send(
        200,
        Object.keys(ENTERPRISE_LINKS)
          .map(
            (id) =>
              `<a href="${origin}/fwlink/?linkid=${id}&amp;clcid=0x409&amp;culture=en-us&amp;country=us">ISO</a>`,
          )
          .join('\n'),
      );
    if (path.startsWith('/en-us/evalcenter/download-'))
      return send(
        200,
        `<a href="${origin}/fwlink/?linkid=2293312&amp;clcid=0x409&amp;culture=en-us&amp;country=us">ISO</a>` +
          `<a href="${origin}/fwlink/?linkid=2293215&amp;clcid=0x409&amp;culture=en-us&amp;country=us">VHD</a>`,
      );
    if (path === '/fwlink/') {
      const file = ENTERPRISE_LINKS[url.searchParams.get('linkid') ?? ''] ?? 'SERVER_EVAL_x64FRE_en-us.iso';
      res.writeHead(302, { Location: `${origin}/iso/${file}` });
      return void res.end();
    }
    if (this.gone.has(path))
      return send(404, 'The resource you are looking for has been removed.', 'text/plain');
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
