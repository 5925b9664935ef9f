import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importImage, type ImportAccess } from '../../provider/images/import';
import type { ImageSource } from '../../provider/images/source';
import { localDocker, uniqueName, WINDOCK_IMAGE } from '../rig/docker';
import { cacheFiles, qemuImg, sha256Of } from './cache-rig';

/**
 * A disk image from a URL (a local HTTP server with Range support standing in for a mirror): the
 * first transfer breaks half way, the next import resumes with a Range request and sends only the
 * rest; a later import is a cache hit through the URL's record, without any request.
 */
describe('image cache: import from a URL, resumed', () => {
  const docker = localDocker();
  const volume = uniqueName('wdkimg-url');
  const dir = mkdtempSync(join(tmpdir(), 'wdkimg-url-'));
  const raw = join(dir, 'image.raw');
  let body: Buffer;
  let server: Server;
  let url = '';
  const requests: string[] = [];
  let breakAfter: number | undefined;
  const access: ImportAccess = {
    docker,
    hostName: 'local',
    image: WINDOCK_IMAGE,
    volume,
    write: () => undefined,
  };

  beforeAll(async () => {
    qemuImg('create', '-q', '-f', 'raw', raw, '24M');
    body = readFileSync(raw);
    body.fill(0x5a, 1 << 20, 3 << 20); // some data, so the transfer is not all holes
    writeFileSync(raw, body);
    server = createServer((req, res) => {
      const range = /bytes=(\d+)-/.exec(req.headers.range ?? '');
      const from = range ? Number(range[1]) : 0;
      requests.push(range ? `range ${from}` : 'full');
      res.writeHead(range ? 206 : 200, { 'content-length': String(body.length - from) });
      if (breakAfter === undefined) return res.end(body.subarray(from));
      res.write(body.subarray(from, from + breakAfter), () => res.destroy());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/image.raw`;
  });

  afterAll(async () => {
    server?.close();
    await docker
      .getVolume(volume)
      .remove()
      .catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes a broken download and then finds the image by its URL', async () => {
    const source: ImageSource = {
      field: 'media.url',
      formatField: 'media.format',
      format: 'raw',
      from: { kind: 'url', url },
    };
    breakAfter = 5 * 1024 ** 2;
    await expect(importImage(access, source, 64)).rejects.toThrow(
      /^media\.url: the transfer of .* broke .*resumes/,
    );
    breakAfter = undefined;
    const done = await importImage(access, source, 64);
    const digest = sha256Of(raw);
    expect(done.digest).toBe(digest);
    expect(done.sentBytes).toBeLessThan(body.length);
    expect(requests).toEqual(['full', `range ${body.length - done.sentBytes}`]);
    const again = await importImage(access, source, 64);
    expect(again).toEqual({ digest, sentBytes: 0, cacheHit: true });
    expect(requests).toHaveLength(2);
    expect((await cacheFiles(docker, WINDOCK_IMAGE, volume)).filter((f) => !f.startsWith('by-url/'))).toEqual(
      [`sha256/${digest}.qcow2`],
    );
  });
});
