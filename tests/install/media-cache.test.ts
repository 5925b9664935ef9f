// Install media in real VM containers: each container's supervisor fetches its media through
// the host's media cache volume (mounted at /cache, as the provider mounts it), from a local
// REPLAY OF MICROSOFT'S DOWNLOAD PROTOCOL (tests/install/media-replay-server.ts, reached at the
// docker0 gateway; Microsoft's servers cannot be reached here). Proves: download with progress
// in status.json, cache hits without a request, one download for two VMs at once, checksum
// failures and blocks reported with their step and leaving no cache entry, and the volume
// record refusing other media without touching the disk. Windows is not booted: after the
// media step the stand-in guest boots as usual.
import type { InstallSpec, VmSpec, VmStatus } from '../../provider/spec';
import { createVmContainer } from '../../provider/docker/vm-container';
import { uniqueName } from '../rig/docker';
import { standinStorageFiles } from '../rig/standin-guest';
import { CONSOLE_TOKEN, ImageRig, TestVm } from '../image/harness';
import { MicrosoftReplayServer } from './media-replay-server';

const rig = new ImageRig('med');
const server = new MicrosoftReplayServer(4 * 1024 * 1024);
const cacheVolume = uniqueName('wdk-med-cache');
let origin: string;

beforeAll(async () => {
  server.chunkDelayMs = 50; // about 3 s for 4 MiB: progress is visible
  await server.start();
  const bridge = await rig.docker.getNetwork('bridge').inspect();
  const gateway = (bridge.IPAM?.Config as Array<{ Gateway?: string }>).find((c) => c.Gateway)?.Gateway;
  if (!gateway) throw new Error('the docker0 bridge has no gateway address');
  origin = server.origin(gateway);
  await rig.docker.createVolume({ Name: cacheVolume, Labels: { 'io.windock.test': 'image-med' } });
  rig.onDispose(() => rig.docker.getVolume(cacheVolume).remove({ force: true }));
});
afterAll(async () => {
  await rig.dispose();
  await server.stop();
});

const microsoft = (language = 'English', cacheKey = 'windows-11-en-us'): InstallSpec => ({
  windows: { version: '11', edition: 'pro' },
  media: {
    source: { kind: 'microsoft', product: 'windows-11', language, endpoint: origin, sessionEndpoint: origin },
    cacheKey,
  },
});

async function installVm(install: InstallSpec, base?: { spec: VmSpec; volumeName: string }): Promise<TestVm> {
  const name = uniqueName('wdk-img-med');
  const spec: VmSpec = base ? { ...base.spec, name, install } : { ...rig.specFor(name, {}), install };
  const volumeName = base?.volumeName ?? `${name}-storage`;
  if (!base) rig.onDispose(() => rig.docker.getVolume(volumeName).remove({ force: true }));
  rig.onDispose(() => rig.docker.getContainer(name).remove({ force: true, v: false }));
  const placement = { ...rig.placement(name, volumeName, {}, spec), mediaCache: cacheVolume };
  const container = await createVmContainer(rig.docker, {
    spec,
    placement,
    secrets: { 'console-token': CONSOLE_TOKEN },
    storageFiles: base ? [] : standinStorageFiles(),
  });
  const mounts = (await container.inspect()).Mounts.map((m) => `${m.Name ?? m.Source}:${m.Destination}`);
  expect(mounts).toContain(`${cacheVolume}:/cache`);
  return new TestVm(rig, container, name, volumeName, spec, placement);
}

async function cacheFiles(): Promise<string[]> {
  const result = await rig.onVolume(cacheVolume, ['ls', '-1', '/storage']);
  return result.stdout.split('\n').filter(Boolean).sort();
}

async function fingerprint(volumeName: string): Promise<string> {
  const result = await rig.onVolume(volumeName, [
    'sh',
    '-c',
    'cd /storage && find . -printf "%p %y %s %m %T@\\n" | sort && find . -type f -exec sha256sum {} + | sort',
  ]);
  return result.stdout;
}

let first: TestVm;

describe('install media through the host media cache', () => {
  it("downloads into the cache with the progress in the VM's status, and records the media in the volume", async () => {
    first = await installVm(microsoft());
    await first.start();
    const downloading = await first.waitForStatus(
      'download progress',
      (s) => s.phase === 'downloading' && (s.download?.bytes ?? 0) > 0 && s.progress !== undefined,
      60_000,
    );
    expect(downloading.download).toMatchObject({
      mediaKey: 'windows-11-en-us',
      totalBytes: server.iso.length,
      source: `${origin}/iso/Win11_English_x64.iso`,
    });
    expect(downloading.progress).toBeLessThan(100);
    await first.waitForStatus('running', (s) => s.phase === 'running', 120_000);
    expect(server.requests.map((r) => r.path)).toEqual([
      '/en-us/software-download/windows11',
      '/tags',
      '/software-download-connector/api/getskuinformationbyproductedition',
      '/software-download-connector/api/GetProductDownloadLinksBySku',
      '/iso/Win11_English_x64.iso',
    ]);
    expect(await cacheFiles()).toEqual(['windows-11-en-us.iso', 'windows-11-en-us.json']);
    const entry = await rig.onVolume(cacheVolume, ['cat', '/storage/windows-11-en-us.json']);
    expect(JSON.parse(entry.stdout)).toMatchObject({ sha256: server.isoSha256, fetchedBy: first.name });
    const record = await first.exec(['cat', '/storage/windock-volume.json']);
    expect(JSON.parse(record.stdout)).toMatchObject({
      systemDiskOrigin: 'install:windows-11-en-us',
      install: { version: '11', edition: 'pro', mediaKey: 'windows-11-en-us' },
    });
  });

  it('serves a second VM with the same media from the cache: not one request', async () => {
    const before = server.requests.length;
    const second = await installVm(microsoft());
    await second.start();
    await second.waitForStatus('running', (s) => s.phase === 'running', 120_000);
    expect(server.requests.length).toBe(before);
    expect(await second.logs()).toMatch(/media windows-11-en-us: cache hit/);
    await second.container.kill();
  });

  it('downloads once when two VMs want the same media at once; the waiting one says so', async () => {
    const evaluation: InstallSpec = {
      windows: { version: 'server-2025', edition: 'standard', evaluationDays: 180 },
      media: {
        source: {
          kind: 'evaluation',
          product: 'windows-server-2025',
          language: 'en-us',
          linkIndex: 0,
          endpoint: origin,
        },
        cacheKey: 'windows-server-2025-eval-en-us',
        sha256: server.isoSha256,
      },
    };
    const [a, b] = await Promise.all([installVm(evaluation), installVm(evaluation)]);
    await Promise.all([a.start(), b.start()]);
    const seen: VmStatus[] = [];
    const watch = async (vm: TestVm) =>
      vm.waitForStatus(
        'running',
        (s) => {
          seen.push(s);
          return s.phase === 'running';
        },
        120_000,
      );
    await Promise.all([watch(a), watch(b)]);
    expect(server.isoRequests().filter((r) => r.path === '/iso/SERVER_EVAL_x64FRE_en-us.iso')).toHaveLength(
      1,
    );
    expect(seen.some((s) => s.download?.waitingFor === a.name || s.download?.waitingFor === b.name)).toBe(
      true,
    );
    await Promise.all([a.container.kill(), b.container.kill()]);
  });

  it('reports a checksum failure with its step and leaves no cache entry', async () => {
    const vm = await installVm({
      windows: { version: '10', edition: 'pro' },
      media: {
        source: { kind: 'url', url: `${origin}/iso/custom.iso?sig=abc` },
        cacheKey: 'custom-bad',
        sha256: 'f'.repeat(64),
      },
    });
    await vm.start();
    expect(await vm.waitExit(60_000)).toBe(68);
    const logs = await vm.logs();
    expect(logs).toMatch(
      /FAILED at media: verify: the download of custom-bad .* has SHA-256 [0-9a-f]{64}, not the expected f{64}/,
    );
    expect(logs).not.toContain('sig=abc');
    expect((await cacheFiles()).filter((f) => f.startsWith('custom-bad'))).toEqual([]);
  });

  it("turns Microsoft's block into a clear error naming the workarounds", async () => {
    server.mode = 'sentinel-block';
    try {
      const vm = await installVm(microsoft('English International', 'windows-11-en-gb'));
      await vm.start();
      expect(await vm.waitExit(60_000)).toBe(68);
      const logs = await vm.logs();
      expect(logs).toMatch(
        /FAILED at media: microsoft link: .*Microsoft refused the download \(Sentinel rejected the request\)/,
      );
      expect(logs).toMatch(/windock-media-cache.*kind: "url".*kind: "iso"/);
      expect((await cacheFiles()).filter((f) => f.startsWith('windows-11-en-gb'))).toEqual([]);
    } finally {
      server.mode = 'ok';
    }
  });

  it('refuses a volume installed from other media, naming both, without touching it or asking Microsoft', async () => {
    await first.container.kill();
    const before = await fingerprint(first.volumeName);
    const requests = server.requests.length;
    const other = await installVm(microsoft('English International', 'windows-11-en-gb'), {
      spec: first.spec,
      volumeName: first.volumeName,
    });
    await other.start();
    expect(await other.waitExit(60_000)).toBe(66);
    const logs = await other.logs();
    expect(logs).toMatch(
      /installed with Windows 11 pro from media windows-11-en-us .*asks for Windows 11 pro from media windows-11-en-gb/,
    );
    expect(logs).toMatch(/The volume was not touched/);
    expect(await fingerprint(first.volumeName)).toBe(before);
    expect(server.requests.length).toBe(requests);
  });
});
