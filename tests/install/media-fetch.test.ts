// The supervisor's media fetch (image/supervisor/install/media) in-process, against the local
// replay of Microsoft's download protocol (tests/install/media-replay-server.ts): the real flow,
// the real cache with its lock, on a temporary cache directory.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InstallMediaSpec } from '../../contract';
import { fetchMedia, type DownloadStatus } from '../../image/supervisor/install/media/fetch-media';
import {
  MediaBlockedError,
  MediaError,
  MediaRefusedError,
} from '../../image/supervisor/install/media/errors';
import { verifyCachedMedia } from '../../image/supervisor/install/media/verify-cached';
import { MicrosoftReplayServer } from './media-replay-server';

const server = new MicrosoftReplayServer(1024 * 1024);
let cacheDir: string;
let origin: string;

beforeAll(async () => {
  await server.start();
  origin = server.origin('127.0.0.1');
  server.chunkDelayMs = 20;
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'windock-media-cache-'));
  server.requests.length = 0;
  server.mode = 'ok';
  server.gone.clear();
});
afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

const microsoft = (language = 'English'): InstallMediaSpec => ({
  source: {
    kind: 'microsoft',
    product: 'windows-11',
    language,
    endpoint: origin,
    sessionEndpoint: origin,
    ovEndpoint: origin,
  },
  cacheKey: `windows-11-${language === 'English' ? 'en-us' : 'en-gb'}`,
});

function options(vmName: string, seen: DownloadStatus[] = []) {
  return {
    vmName,
    cacheDir,
    onProgress: (s: DownloadStatus) => seen.push(s),
    log: () => undefined,
    pollMs: 100,
  };
}

describe('media fetch against the protocol replay', () => {
  it('runs the Microsoft flow in order, downloads with progress, and caches the verified file', async () => {
    const seen: DownloadStatus[] = [];
    const got = await fetchMedia(microsoft(), options('vm-a', seen));
    expect(got).toEqual({ path: '/cache/windows-11-en-us.iso', sha256: server.isoSha256, hit: false });
    expect(server.requests.map((r) => r.path)).toEqual([
      '/en-us/software-download/windows11',
      '/tags',
      '/mdt.js',
      '/',
      '/software-download-connector/api/getskuinformationbyproductedition',
      '/software-download-connector/api/GetProductDownloadLinksBySku',
      '/iso/Win11_English_x64.iso',
    ]);
    const [, permit, , , skus, links] = server.requests;
    expect(skus!.query).toMatchObject({ ProductEditionId: '3113', sessionID: permit!.query.session_id });
    expect(links!.query).toMatchObject({ SKU: '18441', sessionID: permit!.query.session_id });
    expect(links!.referer).toBe(`${origin}/en-us/software-download/windows11`);
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.at(-1)).toMatchObject({ bytes: server.iso.length, totalBytes: server.iso.length });
    // The link's token never reaches the status.
    expect(seen.every((s) => !s.source.includes('?'))).toBe(true);
    expect(readdirSync(cacheDir).sort()).toEqual(['windows-11-en-us.iso', 'windows-11-en-us.json']);
  });

  it('serves a second request from the cache without a single request', async () => {
    await fetchMedia(microsoft(), options('vm-a'));
    const before = server.requests.length;
    const again = await fetchMedia(microsoft(), options('vm-b'));
    expect(again.hit).toBe(true);
    expect(server.requests.length).toBe(before);
  });

  it('downloads once when two VMs want the same media at once; the second shows it waits', async () => {
    const waiting: DownloadStatus[] = [];
    const [a, b] = await Promise.all([
      fetchMedia(microsoft(), options('vm-a')),
      new Promise((r) => setTimeout(r, 150)).then(() => fetchMedia(microsoft(), options('vm-b', waiting))),
    ]);
    expect(server.isoRequests()).toHaveLength(1);
    expect(a.sha256).toBe(b.sha256);
    expect(waiting.some((s) => s.waitingFor === 'vm-a' && s.bytes > 0)).toBe(true);
  });

  it('takes over a download whose owner stopped (a stale lock)', async () => {
    writeFileSync(join(cacheDir, 'windows-11-en-us.lock'), JSON.stringify({ owner: 'dead-vm' }));
    writeFileSync(join(cacheDir, 'windows-11-en-us.partial'), 'half');
    const got = await fetchMedia(microsoft(), { ...options('vm-a'), staleMs: 300 });
    expect(got.sha256).toBe(server.isoSha256);
    expect(readdirSync(cacheDir).sort()).toEqual(['windows-11-en-us.iso', 'windows-11-en-us.json']);
  });

  it('removes a download whose SHA-256 is wrong and reports the verify step; nothing is cached', async () => {
    const media: InstallMediaSpec = {
      source: { kind: 'url', url: `${origin}/iso/custom.iso?sig=secret` },
      cacheKey: 'custom-url',
      sha256: '0'.repeat(64),
    };
    const failure = await fetchMedia(media, options('vm-a')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MediaError);
    expect(failure).toMatchObject({ step: 'media: verify' });
    expect((failure as Error).message).toMatch(
      new RegExp(`SHA-256 ${server.isoSha256}, not the expected 0{64}`),
    );
    expect((failure as Error).message).not.toContain('secret');
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it("passes Microsoft's ov-df check (mock of Microsoft's servers: replayed shape): the script's w and rticks go back with the time", async () => {
    const before = Date.now();
    await fetchMedia(microsoft(), options('vm-a'));
    const [permit, script, reply] = server.requests.slice(1, 4);
    const session = permit!.query.session_id!;
    expect(script!.query).toEqual({
      instanceId: '560dc9f3-1aa5-4a2f-b63c-9e18f8d0e175',
      PageId: 'si',
      session_id: session,
    });
    expect(reply!.query).toMatchObject({
      session_id: session,
      CustomerId: '560dc9f3-1aa5-4a2f-b63c-9e18f8d0e175',
      PageId: 'si',
    });
    expect(Number(reply!.query.mdt)).toBeGreaterThanOrEqual(before);
    // The replay refuses the SKU list and the link to a session that did not pass.
    expect(server.ovPassed.has(session)).toBe(true);
  });

  it('reports a refusal that is not a block as what it is ("unable to complete"), never as an address block', async () => {
    server.mode = 'unable';
    const failure = await fetchMedia(microsoft(), options('vm-a')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MediaRefusedError);
    expect(failure).not.toBeInstanceOf(MediaBlockedError);
    expect((failure as Error).message).toMatch(/refused the automated download .*not an address block/);
    expect((failure as Error).message).not.toMatch(/blocked this address/);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it.each([
    ['sentinel-block' as const, /blocked this address or rate-limited it \(Sentinel rejected the request\)/],
    ['rate-limit' as const, /HTTP 429/],
  ])('turns a %s answer into a clear error naming the workarounds', async (mode, detail) => {
    server.mode = mode;
    const failure = await fetchMedia(microsoft(), options('vm-a')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MediaBlockedError);
    expect((failure as Error).message).toMatch(detail);
    expect((failure as Error).message).toMatch(/windock-media-cache.*kind: "url".*kind: "iso"/);
    expect(server.isoRequests()).toHaveLength(0);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('follows the Evaluation Center page and its fwlink redirect', async () => {
    const media: InstallMediaSpec = {
      source: {
        kind: 'evaluation',
        product: 'windows-server-2025',
        language: 'en-us',
        linkIndex: 0,
        endpoint: origin,
      },
      cacheKey: 'windows-server-2025-eval-en-us',
      sha256: server.isoSha256,
    };
    const got = await fetchMedia(media, options('vm-a'));
    expect(got.sha256).toBe(server.isoSha256);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /en-us/evalcenter/download-windows-server-2025',
      // Both links carry en-us: where each redirects says its language.
      'HEAD /fwlink/',
      'HEAD /fwlink/',
      'HEAD /fwlink/',
      'HEAD /iso/SERVER_EVAL_x64FRE_en-us.iso',
      'GET /iso/SERVER_EVAL_x64FRE_en-us.iso',
    ]);
    expect(existsSync(join(cacheDir, 'windows-server-2025-eval-en-us.iso'))).toBe(true);
  });

  const enterprise = (language: string, linkIndex: number): InstallMediaSpec => ({
    source: { kind: 'evaluation', product: 'windows-11-enterprise', language, linkIndex, endpoint: origin },
    cacheKey: `windows-11-enterprise-eval-${language}`,
  });

  it('refuses the arm64 ISO that link 2 of the Windows 11 Enterprise page now is, before downloading it', async () => {
    const failure = await fetchMedia(enterprise('en-us', 1), options('vm-a')).catch((e: unknown) => e);
    expect(failure).toMatchObject({ step: 'media: evaluation link' });
    expect((failure as Error).message).toMatch(
      /is an arm64 ISO \(.*A64FRE_en-us\.iso\): windock's VMs are x64/,
    );
    expect(server.isoRequests()).toEqual([]);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('downloads the x64 ISO at link 1, and a non-English one by where the links redirect (the page says en-us for all)', async () => {
    await fetchMedia(enterprise('en-us', 0), options('vm-a'));
    await fetchMedia(enterprise('de-de', 0), options('vm-a'));
    expect(server.isoRequests().map((r) => r.path)).toEqual([
      expect.stringMatching(/CLIENTENTERPRISEEVAL_OEMRET_x64FRE_en-us\.iso$/),
      expect.stringMatching(/CLIENTENTERPRISEEVAL_OEMRET_x64FRE_de-de\.iso$/),
    ]);
  });

  it('falls back to the next source when a pin answers 404, and caches what that source gave', async () => {
    server.gone.add('/iso/26100.1742.240906-0331.ge_release_svc_refresh_SERVER_EVAL_x64FRE_en-us.iso');
    const logs: string[] = [];
    const media: InstallMediaSpec = {
      source: {
        kind: 'url',
        url: `${origin}/iso/26100.1742.240906-0331.ge_release_svc_refresh_SERVER_EVAL_x64FRE_en-us.iso`,
        sha256: 'd'.repeat(64),
      },
      cacheKey: 'windows-server-2025-eval-en-us-dddddddd',
      fallbacks: [
        {
          kind: 'evaluation',
          product: 'windows-server-2025',
          language: 'en-us',
          linkIndex: 0,
          endpoint: origin,
        },
      ],
    };
    const got = await fetchMedia(media, { ...options('vm-a'), log: (line: string) => logs.push(line) });
    expect(got).toMatchObject({ sha256: server.isoSha256, hit: false });
    expect(logs.join('\n')).toMatch(
      /answered HTTP 404.*trying Evaluation Center windows-server-2025 \(en-us\) instead/,
    );
    expect(server.isoRequests().map((r) => r.path)).toEqual([
      '/iso/26100.1742.240906-0331.ge_release_svc_refresh_SERVER_EVAL_x64FRE_en-us.iso',
      '/iso/SERVER_EVAL_x64FRE_en-us.iso',
    ]);
    // A pin that answers with other bytes is refused, not passed over.
    const wrong = {
      ...media,
      cacheKey: 'pin-wrong',
      source: { kind: 'url' as const, url: `${origin}/iso/x.iso`, sha256: 'd'.repeat(64) },
    };
    await expect(fetchMedia(wrong, options('vm-a'))).rejects.toMatchObject({ step: 'media: verify' });
    expect(readdirSync(cacheDir).filter((f) => f.startsWith('pin-wrong'))).toEqual([]);
  });
});

describe('no cache entry is trusted unhashed', () => {
  it('the writer discards an entry whose file no longer hashes to its digest, and fetches it again', async () => {
    const first = await fetchMedia(microsoft(), options('vm-a'));
    writeFileSync(join(cacheDir, 'windows-11-en-us.iso'), 'replaced behind the json');
    const logs: string[] = [];
    const again = await fetchMedia(microsoft(), {
      ...options('vm-b'),
      log: (line: string) => logs.push(line),
    });
    expect(again).toMatchObject({ sha256: first.sha256, hit: false });
    expect(logs.join('\n')).toMatch(/does not hash to its recorded .*removed, fetching it again/);
    expect(server.isoRequests()).toHaveLength(2);
  });

  it('a look-up (download false) hashes what is there and never asks the network', async () => {
    const missing = await fetchMedia(microsoft(), { ...options('vm-a'), download: false });
    expect(missing).toEqual({ path: '/cache/windows-11-en-us.iso', hit: false });
    expect(server.requests).toEqual([]);
    await fetchMedia(microsoft(), options('vm-a'));
    const found = await fetchMedia(microsoft(), { ...options('vm-b'), download: false });
    expect(found).toMatchObject({ sha256: server.isoSha256, hit: true });
  });

  it("a VM's check refuses a cached file that does not hash to the spec's digest, naming the entry and the fix", async () => {
    await fetchMedia(microsoft(), options('vm-a'));
    const media = { ...microsoft(), sha256: server.isoSha256 };
    await expect(verifyCachedMedia(media, { cacheDir, log: () => undefined })).resolves.toMatchObject({
      sha256: server.isoSha256,
    });
    writeFileSync(join(cacheDir, 'windows-11-en-us.iso'), 'poisoned');
    const failure = await verifyCachedMedia(media, { cacheDir, log: () => undefined }).catch(
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ step: 'media: verify' });
    expect((failure as Error).message).toMatch(
      /the cached windows-11-en-us\.iso \(volume windock-media-cache\) has SHA-256 [0-9a-f]{64}, not the [0-9a-f]{64} recorded.*recreate the VM/,
    );
    const unrecorded = await verifyCachedMedia(microsoft(), { cacheDir, log: () => undefined }).catch(
      (e: unknown) => e,
    );
    expect((unrecorded as Error).message).toMatch(/records no SHA-256/);
  });
});
