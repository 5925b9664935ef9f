// A fresh Windows 11 Pro (en-US) install through the REAL PULUMI ENGINE (file backend) on the
// local Docker engine, its media and drivers fetched from a local REPLAY OF MICROSOFT'S DOWNLOAD
// PROTOCOL (tests/install/media-replay-server.ts at the docker0 gateway: Microsoft's servers
// cannot be reached here). Windows cannot boot here and the replay's "ISO" installs nothing, so
// the VMs wait for readiness "qemu" only: QEMU runs with the install drives attached, under TCG.
// Proves: preview shows the create; up downloads with percent lines in the engine's output; the
// provider makes the host's media cache volume itself; QMP shows the ISO, the drivers CD and the
// answer drive; the supervisor's key presses for the ISO's boot prompt are accepted by the real
// QEMU; the admin password (a Pulumi secret) is in no state, output, inspect or argv; a second
// VM is a cache hit; bad input fails at preview naming the field; destroy keeps the cache. The
// media are fetched by the provider's fetch step (a short-lived container); the VM's container
// mounts the cache read-only and checks the file against the digest recorded in state.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MEDIA_CACHE_LABEL } from '../../provider/media/cache-volume';
import { FETCH_VM_LABEL } from '../../provider/media/fetch-container';
import { MEDIA_CACHE_VOLUME } from '../../provider/media/resolve';
import { connectVmQmp } from '../../provider/vm/qmp-exec';
import { Cleanup, containerLogs, localDocker, uniqueName, waitForLog, WINDOCK_IMAGE } from '../rig/docker';
import { PulumiRig, resourceSteps, type EngineRun } from '../rig/pulumi';
import { defaultBridgeGateway } from './bridge-gateway';
import { MicrosoftReplayServer } from './media-replay-server';

const PASSWORD = 'Rp-</Value>&x-5e81c0d7a2';
const SECRET_PART = '5e81c0d7a2';

interface BlockInfo {
  device: string;
  qdev?: string;
  inserted?: { file: string; ro: boolean };
}

describe('Windows install from media through the real engine (Microsoft protocol replay)', () => {
  const docker = localDocker();
  const cleanup = new Cleanup();
  const server = new MicrosoftReplayServer(4 * 1024 * 1024);
  const rig = new PulumiRig('install-replay', 'test', join(__dirname, 'programs', 'install-vms.js'));
  const first = uniqueName('wdk-inst');
  const second = uniqueName('wdk-inst');
  let origin = '';
  let cacheExisted = false;

  const vmArgs = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    media: {
      kind: 'windows',
      version: '11',
      edition: 'pro',
      language: 'en-us',
      endpoints: { microsoft: origin, microsoftSession: origin },
    },
    drivers: { kind: 'url', url: `${origin}/virtio-win/virtio-win.iso`, sha256: server.driversSha256 },
    unattend: { adminUser: 'operator', computerName: 'WDK-REPLAY', timeZone: 'UTC' },
    accelerator: 'tcg',
    cpu: 1,
    memory: '4GiB',
    systemDiskSize: '64GiB',
    readiness: 'qemu',
    timeouts: { createSeconds: 300, shutdownSeconds: 10 },
    ...extra,
  });
  const passwordFile = join(rig.workDir, 'admin-password');
  writeFileSync(passwordFile, PASSWORD, { mode: 0o600 });
  const config = (vms: Array<Record<string, unknown>>) => ({ vms, adminPasswordFile: passwordFile });
  const container = (name: string) => docker.getContainer(`windock-${name}`);
  const dockerExec = (name: string, script: string) =>
    execFileSync('docker', ['exec', `windock-${name}`, 'sh', '-c', script], { encoding: 'utf8' });

  beforeAll(async () => {
    server.chunkDelayMs = 120; // 4 MiB in about 8 s: the engine shows the percent moving
    await server.start();
    origin = server.origin(await defaultBridgeGateway(docker));
    cacheExisted = await docker
      .getVolume(MEDIA_CACHE_VOLUME)
      .inspect()
      .then(
        () => true,
        () => false,
      );
  });

  afterAll(async () => {
    rig.run('destroy', config([vmArgs(first), vmArgs(second)]));
    await cleanup.run();
    // The cache volume is the host's; only one this test made goes.
    if (!cacheExisted)
      await docker
        .getVolume(MEDIA_CACHE_VOLUME)
        .remove()
        .catch(() => undefined);
    await server.stop();
    rig.dispose();
  });
  cleanup.add(() => container(first).remove({ force: true }));
  cleanup.add(() => container(second).remove({ force: true }));

  it('previews the create without downloading anything', () => {
    const preview = rig.ok('preview', config([vmArgs(first)]));
    expect(resourceSteps(preview).map((s) => s.op)).toEqual(['create']);
    expect(server.requests).toEqual([]);
  });

  it('refuses bad input at preview, naming the field and the fix', () => {
    const lowMemory = rig.run('preview', config([vmArgs(first, { memory: '2GiB' })]));
    expect(lowMemory.status).not.toBe(0);
    expect(lowMemory.output).toMatch(/memory: Windows 11 needs at least 4GiB of RAM, 2GiB asked/);
    const longName = rig.run(
      'preview',
      config([vmArgs(first, { unattend: { computerName: 'WDK-SIXTEEN-CHAR' } })]),
    );
    expect(longName.status).not.toBe(0);
    expect(longName.output).toMatch(/unattend\.computerName: .*15/);
    expect(server.requests).toEqual([]);
  });

  let up: EngineRun;
  const hostArgv: string[] = [];

  it('creates the VM: download progress in the engine output, the cache volume made by the provider', async () => {
    // Plain `pulumi up`'s display (the runner's default is --diff, which leaves provider messages out).
    process.env.WINDOCK_UP_DISPLAY = 'progress';
    const running = rig.runAsync('up', config([vmArgs(first)]));
    delete process.env.WINDOCK_UP_DISPLAY;
    // Every process on this machine while the engine runs: the password is in no command line.
    let done = false;
    void running.then(() => (done = true));
    while (!done) {
      hostArgv.push(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }));
      await sleep(500);
    }
    up = await running;
    if (up.status !== 0) throw new Error(`pulumi up failed:\n${up.output.slice(-6000)}`);
    expect(resourceSteps(up).map((s) => s.op)).toEqual(['create']);

    // Percent lines, from the provider's progress logger, in the engine's own output.
    const percents = [...up.output.matchAll(/downloading windows-11-en-us from \S+: .*\((\d+)%\)/g)].map(
      (m) => Number(m[1]),
    );
    expect(percents.length).toBeGreaterThanOrEqual(2);
    expect(new Set(percents).size).toBeGreaterThanOrEqual(2);
    expect(up.output).not.toMatch(/[?&]t=[0-9a-f]{12}/); // the link's token stays out

    // The Microsoft flow ran once, then the drivers from the mirror.
    expect(server.isoRequests().map((r) => r.path)).toEqual(['/iso/Win11_English_x64.iso']);
    expect(server.driversRequests()).toHaveLength(1);

    const volume = await docker.getVolume(MEDIA_CACHE_VOLUME).inspect();
    expect(volume.Labels?.[MEDIA_CACHE_LABEL]).toBe('true');
    const info = await container(first).inspect();
    // The VM's container only reads the cache; the fetch step that wrote it is gone.
    expect(info.Mounts.find((m) => m.Destination === '/cache')).toMatchObject({
      Name: MEDIA_CACHE_VOLUME,
      RW: false,
    });
    const fetchers = await docker.listContainers({
      all: true,
      filters: { label: [`${FETCH_VM_LABEL}=${first}`] },
    });
    expect(fetchers).toEqual([]);
    // The digest the fetch step verified is in the state; the VM checked the file against it.
    expect(rig.stateText()).toContain(server.isoSha256);
    expect(await containerLogs(container(first))).toContain(
      `media windows-11-en-us: verified (SHA-256 ${server.isoSha256})`,
    );
    const storage = info.Mounts.find((m) => m.Destination === '/storage')!.Name!;
    cleanup.add(() => docker.getVolume(storage).remove());
    const status = JSON.parse(dockerExec(first, 'cat /run/windock/status.json')) as {
      phase: string;
      install?: { step: string };
    };
    expect(status.phase).toBe('installing');
    expect(status.install?.step).toBe('setup');
  });

  it('attaches the ISO and the drivers ISO as CD-ROMs and the answer drive (QMP query-block)', async () => {
    const qmp = await connectVmQmp(docker, `windock-${first}`);
    const blocks = await qmp.execute<BlockInfo[]>('query-block').finally(() => qmp.close());
    const byQdev = (id: string) => blocks.find((b) => b.qdev?.includes(id))?.inserted;
    expect(byQdev('install-cd')).toMatchObject({ file: '/cache/windows-11-en-us.iso', ro: true });
    expect(byQdev('drivers-cd')).toMatchObject({
      file: expect.stringMatching(/^\/cache\/drivers-url-/),
      ro: true,
    });
    expect(byQdev('answer-drive')).toMatchObject({ file: '/storage/install/answer.img', ro: true });
    // The drivers CD is the mirror's ISO, verified.
    const sum = dockerExec(first, `sha256sum ${byQdev('drivers-cd')!.file}`);
    expect(sum.split(' ')[0]).toBe(server.driversSha256);
  });

  it("presses keys for the ISO's boot prompt through the real QEMU, without a QMP error", async () => {
    const logs = await waitForLog(container(first), /install: pressed a key (\d+) times/, 60_000);
    const presses = Number(/install: pressed a key (\d+) times/.exec(logs)![1]);
    expect(presses).toBeGreaterThan(0);
    expect(logs).not.toContain('send-key failed');
  });

  it('keeps the admin password out of state, engine output, docker inspect and every command line', async () => {
    expect(rig.stateText()).not.toContain(SECRET_PART);
    expect(up.output).not.toContain(SECRET_PART);
    const info = await container(first).inspect();
    expect(JSON.stringify(info)).not.toContain(SECRET_PART);
    expect(await containerLogs(container(first))).not.toContain(SECRET_PART);
    const inside = dockerExec(
      first,
      'for p in /proc/[0-9]*; do cat $p/cmdline $p/environ 2>/dev/null; echo; done | tr "\\0" " "',
    );
    expect(inside).toContain('qemu-system-x86_64');
    expect(inside).not.toContain(SECRET_PART);
    expect(hostArgv.length).toBeGreaterThan(0);
    expect(hostArgv.join('\n')).not.toContain(SECRET_PART);
    // It is where it belongs: the 0400 secret file the answer drive is written from.
    expect(dockerExec(first, 'stat -c %a /run/windock/secrets/admin-password').trim()).toBe('400');
  });

  it('installs a second VM from the same media out of the cache, without a request', async () => {
    const before = server.requests.length;
    const run = rig.ok('up', config([vmArgs(first), vmArgs(second)]));
    expect(resourceSteps(run).map((s) => s.op)).toContain('create');
    expect(resourceSteps(run).filter((s) => s.op !== 'same')).toHaveLength(1);
    expect(server.requests.length).toBe(before);
    const info = await container(second).inspect();
    const storage = info.Mounts.find((m) => m.Destination === '/storage')!.Name!;
    cleanup.add(() => docker.getVolume(storage).remove());
    const logs = await containerLogs(container(second));
    expect(logs).toMatch(/media windows-11-en-us: verified/);
    expect(logs).toMatch(/media drivers-url-[0-9a-f]+: verified/);
  });

  it('refuses to install other media over a volume installed from these, and leaves it untouched', async () => {
    const keeper = uniqueName('wdk-inst');
    const adopter = uniqueName('wdk-inst');
    cleanup.add(() => container(keeper).remove({ force: true }));
    cleanup.add(() => container(adopter).remove({ force: true }));
    const both = [vmArgs(first), vmArgs(second)];
    rig.ok('up', config([...both, vmArgs(keeper, { retainStorageOnDelete: true })]));
    const volume = (await container(keeper).inspect()).Mounts.find(
      (m) => m.Destination === '/storage',
    )!.Name!;
    cleanup.add(() => docker.getVolume(volume).remove());
    rig.ok('up', config(both)); // the VM goes, its volume stays
    const record = () =>
      execFileSync(
        'docker',
        [
          'run',
          '--rm',
          '-v',
          `${volume}:/storage:ro`,
          '--entrypoint',
          'cat',
          WINDOCK_IMAGE,
          '/storage/windock-volume.json',
        ],
        { encoding: 'utf8' },
      );
    const before = record();
    expect(JSON.parse(before).install).toMatchObject({ version: '11', mediaKey: 'windows-11-en-us' });

    const windows10 = { ...vmArgs(adopter).media, version: '10' };
    const refused = rig.run(
      'up',
      config([
        ...both,
        vmArgs(adopter, { media: windows10, adopt: { volume }, retainStorageOnDelete: true }),
      ]),
    );
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(
      /this volume was installed with Windows 11 pro from media windows-11-en-us .*but the spec asks for Windows 10 pro from media windows-10-en-us.*refusing to reinstall/,
    );
    expect(record()).toBe(before);
  });

  it('destroys the VMs and keeps the host media cache', async () => {
    const run = rig.ok('destroy', config([vmArgs(first), vmArgs(second)]));
    expect(run.output).not.toContain(SECRET_PART);
    const left = execFileSync('docker', ['ps', '-a', '--format', '{{.Names}}'], { encoding: 'utf8' });
    for (const name of [first, second]) expect(left.split('\n')).not.toContain(`windock-${name}`);
    const cached = execFileSync(
      'docker',
      ['run', '--rm', '-v', `${MEDIA_CACHE_VOLUME}:/cache:ro`, '--entrypoint', 'ls', WINDOCK_IMAGE, '/cache'],
      { encoding: 'utf8' },
    );
    expect(cached).toContain('windows-11-en-us.iso');
  });
});
