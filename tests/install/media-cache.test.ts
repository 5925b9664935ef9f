// Install media in real containers, the way the provider runs them: the FETCH STEP (a
// short-lived container of the image, provider/media/fetch-container.ts, the only writer of the
// host's media cache volume) fetches from a local REPLAY OF MICROSOFT'S DOWNLOAD PROTOCOL
// (tests/install/media-replay-server.ts, reached at the docker0 gateway; Microsoft's servers
// cannot be reached here) and returns the digests; the VM container mounts the cache read-only
// and checks its file against the digest in its spec. Proves: download with progress lines, cache
// hits without a request, one download for two fetches at once, checksum failures and blocks
// reported with their step and leaving no cache entry, the volume record refusing other media
// without touching the disk, and two attacks failing: a VM container writing the cache, and a
// cache entry poisoned (file and digest rewritten) refused at the VM's next start, disk untouched.
// Windows is not booted: after the media step the stand-in guest boots as usual.
import type Dockerode from 'dockerode';
import type { InstallMediaSpec, InstallSpec, VmSpec } from '../../contract';
import { createVmContainer } from '../../provider/docker/vm-container';
import {
  FETCH_VM_LABEL,
  MediaFetchError,
  runFetchStep,
  type FetchedDigests,
} from '../../provider/media/fetch-container';
import type { DownloadStatus } from '../../image/supervisor/install/media/fetch-media';
import { uniqueName, WINDOCK_IMAGE } from '../rig/docker';
import { standinStorageFiles } from '../rig/standin-guest';
import { CONSOLE_TOKEN, ImageRig, TestVm } from '../image/harness';
import { Results } from '../reliability/results';
import { defaultBridgeGateway } from './bridge-gateway';
import { MicrosoftReplayServer } from './media-replay-server';

const rig = new ImageRig('med');
const server = new MicrosoftReplayServer(4 * 1024 * 1024);
const cacheVolume = uniqueName('wdk-med-cache');
const results = new Results();
let origin: string;

beforeAll(async () => {
  server.chunkDelayMs = 50; // about 3 s for 4 MiB: progress is visible
  await server.start();
  origin = server.origin(await defaultBridgeGateway(rig.docker));
  await rig.docker.createVolume({ Name: cacheVolume, Labels: { 'io.windock.test': 'image-med' } });
  rig.onDispose(() => rig.docker.getVolume(cacheVolume).remove({ force: true }));
});
afterAll(async () => {
  await rig.dispose();
  await server.stop();
  results.flush();
});

const microsoft = (language = 'English', cacheKey = 'windows-11-en-us'): InstallMediaSpec => ({
  source: {
    kind: 'microsoft',
    product: 'windows-11',
    language,
    endpoint: origin,
    sessionEndpoint: origin,
    ovEndpoint: origin,
  },
  cacheKey,
});

interface Fetched {
  digests: FetchedDigests;
  progress: DownloadStatus[];
  logs: string[];
  /** The fetch container as Docker made it, inspected while it ran. */
  inspected?: Dockerode.ContainerInspectInfo;
}

/** The provider's fetch step for one VM, against this test's cache volume. */
async function fetchStep(vmName: string, media: InstallMediaSpec[]): Promise<Fetched> {
  const fetched: Fetched = { digests: [], progress: [], logs: [] };
  let inspecting: Promise<void> | undefined;
  fetched.digests = await runFetchStep({
    docker: rig.docker,
    hostName: 'local',
    image: WINDOCK_IMAGE,
    cacheVolume,
    request: { vmName, media, download: true },
    timeoutMs: 120_000,
    onProgress: (download) => {
      fetched.progress.push(download);
      inspecting ??= fetchContainers(vmName).then(async ([info]) => {
        if (info) fetched.inspected = await rig.docker.getContainer(info.Id).inspect();
      });
    },
    log: (line) => fetched.logs.push(line),
  });
  await inspecting;
  return fetched;
}

function fetchContainers(vmName: string): Promise<Dockerode.ContainerInfo[]> {
  return rig.docker.listContainers({ all: true, filters: { label: [`${FETCH_VM_LABEL}=${vmName}`] } });
}

/** A VM container as the provider makes it after the fetch step: cache read-only, digests in the spec. */
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
    storageFiles: base ? [] : standinStorageFiles(),
  });
  const cache = (await container.inspect()).Mounts.find((m) => m.Destination === '/cache');
  expect(cache).toMatchObject({ Name: cacheVolume, RW: false });
  return new TestVm(rig, container, name, volumeName, spec, placement, { 'console-token': CONSOLE_TOKEN });
}

const withDigest = (media: InstallMediaSpec, fetched: Fetched): InstallMediaSpec => ({
  ...media,
  sha256: fetched.digests.find((d) => d.cacheKey === media.cacheKey)!.sha256!,
});

const windows11 = (media: InstallMediaSpec): InstallSpec => ({
  windows: { version: '11', edition: 'pro' },
  media,
  fetchedBy: 'provider',
});

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
let firstMedia: InstallMediaSpec;

describe('install media: the fetch step fills the cache, VM containers only read it', () => {
  it('downloads in a least-privilege fetch container with progress lines, returns the digest, and is removed', async () => {
    const vmName = uniqueName('wdk-img-med');
    const fetched = await fetchStep(vmName, [microsoft()]);
    expect(fetched.digests).toEqual([{ cacheKey: 'windows-11-en-us', sha256: server.isoSha256, hit: false }]);
    const percents = fetched.progress.map((p) => Math.floor((100 * p.bytes) / (p.totalBytes ?? 1)));
    expect(new Set(percents).size).toBeGreaterThanOrEqual(3);
    expect(fetched.progress[0]).toMatchObject({
      mediaKey: 'windows-11-en-us',
      totalBytes: server.iso.length,
      source: `${origin}/iso/Win11_English_x64.iso`,
    });
    expect(server.requests.map((r) => r.path)).toEqual([
      '/en-us/software-download/windows11',
      '/tags',
      // Microsoft's ov-df check: its script, then the reply (replayed shape).
      '/mdt.js',
      '/',
      '/software-download-connector/api/getskuinformationbyproductedition',
      '/software-download-connector/api/GetProductDownloadLinksBySku',
      '/iso/Win11_English_x64.iso',
    ]);
    // Least privilege, seen on the running container; then it is gone.
    const host = fetched.inspected!.HostConfig;
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.CapAdd ?? []).toEqual([]);
    expect(host.SecurityOpt).toContain('no-new-privileges:true');
    expect(host.NetworkMode).toBe('bridge');
    expect(host.PortBindings ?? {}).toEqual({});
    expect(fetched.inspected!.Mounts.map((m) => `${m.Name}:${m.Destination}:${m.RW}`)).toEqual([
      `${cacheVolume}:/cache:true`,
    ]);
    expect(await fetchContainers(vmName)).toEqual([]);
    expect(await cacheFiles()).toEqual(['windows-11-en-us.iso', 'windows-11-en-us.json']);

    firstMedia = withDigest(microsoft(), fetched);
    first = await installVm(windows11(firstMedia));
    await first.start();
    await first.waitForStatus('running', (s) => s.phase === 'running', 120_000);
    expect(await first.logs()).toMatch(
      new RegExp(`media windows-11-en-us: verified \\(SHA-256 ${server.isoSha256}\\)`),
    );
    const record = await first.exec(['cat', '/storage/windock-volume.json']);
    expect(JSON.parse(record.stdout)).toMatchObject({
      systemDiskOrigin: 'install:windows-11-en-us',
      install: { version: '11', edition: 'pro', mediaKey: 'windows-11-en-us' },
    });
  });

  it('attack: a VM container (root in it) cannot write the cache: EROFS', async () => {
    const row = results.attackRow('media cache write from a VM');
    const before = await first.exec(['sha256sum', '/cache/windows-11-en-us.iso']);
    const attempts = [
      'printf evil > /cache/windows-11-en-us.iso',
      'printf "{}" > /cache/windows-11-en-us.json',
      'touch /cache/planted.iso',
      'rm -f /cache/windows-11-en-us.iso',
      'mv /cache/windows-11-en-us.json /cache/moved.json',
      'mkdir /cache/dir',
    ];
    for (const script of attempts) {
      const result = await first.exec(['sh', '-c', script]);
      row.attack(result.exitCode === 0);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toMatch(/Read-only file system/);
    }
    expect(await first.exec(['sha256sum', '/cache/windows-11-en-us.iso'])).toEqual(before);
    expect(await cacheFiles()).toEqual(['windows-11-en-us.iso', 'windows-11-en-us.json']);
    row.pass();
  });

  it('serves a second fetch from the cache, hashed, without a single request', async () => {
    const before = server.requests.length;
    const fetched = await fetchStep(uniqueName('wdk-img-med'), [microsoft()]);
    expect(fetched.digests).toEqual([{ cacheKey: 'windows-11-en-us', sha256: server.isoSha256, hit: true }]);
    expect(fetched.logs.join('\n')).toMatch(/media windows-11-en-us: cache hit/);
    expect(server.requests.length).toBe(before);
  });

  it('downloads once when two VMs fetch the same media at once; the waiting one says so', async () => {
    const evaluation: InstallMediaSpec = {
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
    const [a, b] = await Promise.all([
      fetchStep(uniqueName('wdk-img-med'), [evaluation]),
      fetchStep(uniqueName('wdk-img-med'), [evaluation]),
    ]);
    expect(server.isoRequests().filter((r) => r.path === '/iso/SERVER_EVAL_x64FRE_en-us.iso')).toHaveLength(
      1,
    );
    expect([a, b].map((f) => f.digests[0]!.sha256)).toEqual([server.isoSha256, server.isoSha256]);
    const waited = [...a.progress, ...b.progress].some((p) => p.waitingFor !== undefined);
    expect(waited).toBe(true);
    expect([...a.logs, ...b.logs].join('\n')).toMatch(
      /is downloading windows-server-2025-eval-en-us already: waiting for it/,
    );
  });

  it('reports a checksum failure with its step, leaves no cache entry, and removes the fetch container', async () => {
    const vmName = uniqueName('wdk-img-med');
    const failure = await fetchStep(vmName, [
      {
        source: { kind: 'url', url: `${origin}/iso/custom.iso?sig=abc` },
        cacheKey: 'custom-bad',
        sha256: 'f'.repeat(64),
      },
    ]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MediaFetchError);
    expect((failure as MediaFetchError).step).toBe('media: verify');
    expect((failure as Error).message).toMatch(
      /FAILED at media: verify: the download of custom-bad .* has SHA-256 [0-9a-f]{64}, not the expected f{64}/,
    );
    expect((failure as Error).message).not.toContain('sig=abc');
    expect((await cacheFiles()).filter((f) => f.startsWith('custom-bad'))).toEqual([]);
    expect(await fetchContainers(vmName)).toEqual([]);
  });

  it("turns Microsoft's block into a clear error naming the workarounds", async () => {
    server.mode = 'sentinel-block';
    try {
      const failure = await fetchStep(uniqueName('wdk-img-med'), [
        microsoft('English International', 'windows-11-en-gb'),
      ]).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MediaFetchError);
      expect((failure as Error).message).toMatch(
        /FAILED at media: microsoft link: .*Microsoft blocked this address or rate-limited it \(Sentinel rejected the request\)/,
      );
      expect((failure as Error).message).toMatch(/windock-media-cache.*kind: "url".*kind: "iso"/);
      expect((await cacheFiles()).filter((f) => f.startsWith('windows-11-en-gb'))).toEqual([]);
    } finally {
      server.mode = 'ok';
    }
  });

  it('attack: an entry poisoned in the volume (file and digest rewritten) is refused at the next start, disk untouched', async () => {
    const row = results.attackRow('media cache poisoning');
    // A VM made while the entry was sound (created, not started: its install has not begun).
    const fetched = await fetchStep(uniqueName('wdk-img-med'), [microsoft()]);
    const vm = await installVm(windows11(withDigest(microsoft(), fetched)));
    const before = await fingerprint(vm.volumeName);
    // Whoever can reach the volume replaces the ISO and writes a matching digest beside it.
    const poison = await rig.onVolume(cacheVolume, [
      'sh',
      '-c',
      'cd /storage && head -c 1048576 /dev/urandom > evil && mv evil windows-11-en-us.iso && ' +
        'd=$(sha256sum windows-11-en-us.iso | cut -d" " -f1) && ' +
        'printf \'{"sha256":"%s","sizeBytes":1048576,"source":"x","fetchedAt":"x","fetchedBy":"x"}\' "$d" > windows-11-en-us.json && echo $d',
    ]);
    expect(poison.exitCode).toBe(0);
    const evil = poison.stdout.trim();
    // Started directly: it fails before it needs its secrets.
    await vm.container.start();
    const code = await vm.waitExit(60_000);
    row.attack(code !== 68);
    expect(code).toBe(68);
    const logs = await vm.logs();
    expect(logs).toContain(
      `FAILED at media: verify: the cached windows-11-en-us.iso (volume windock-media-cache) has SHA-256 ${evil}, not the ${server.isoSha256} recorded`,
    );
    expect(logs).toMatch(
      /rm <windock image> -f \/cache\/windows-11-en-us\.iso \/cache\/windows-11-en-us\.json\) and recreate the VM/,
    );
    expect(logs).not.toContain('starting qemu');
    const after = await fingerprint(vm.volumeName);
    row.attack(after !== before);
    expect(after).toBe(before);
    row.pass();
  });

  it('the next fetch step does not trust the poisoned entry: it fetches the media again', async () => {
    const isoRequests = server.isoRequests().length;
    const fetched = await fetchStep(uniqueName('wdk-img-med'), [firstMedia]);
    expect(fetched.digests).toEqual([{ cacheKey: 'windows-11-en-us', sha256: server.isoSha256, hit: false }]);
    expect(fetched.logs.join('\n')).toMatch(
      /the cached windows-11-en-us\.iso does not hash to its recorded .*removed, fetching it again/,
    );
    expect(server.isoRequests().length).toBe(isoRequests + 1);
  });

  it('refuses a volume installed from other media, naming both, without touching it or asking Microsoft', async () => {
    await first.container.kill();
    const before = await fingerprint(first.volumeName);
    const requests = server.requests.length;
    const other = await installVm(
      windows11({ ...microsoft('English International', 'windows-11-en-gb'), sha256: server.isoSha256 }),
      { spec: first.spec, volumeName: first.volumeName },
    );
    await other.container.start(); // it stops before it needs its secrets
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
