import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { cachedImagePath, IMAGE_CACHE_VOLUME } from '../../provider/images/cache';
import { uniqueName, waitForLog, WINDOCK_IMAGE } from '../rig/docker';
import { PulumiRig, resourceSteps } from '../rig/pulumi';
import { startSshHosts, type SshHostsRig } from '../rig/ssh-hosts';
import { STANDIN_READY, standinGuestDir, standinMedia, standinVmArgs } from '../rig/standin-guest';
import { cacheFiles, sha256Of } from './cache-rig';

const GiB = 1024 ** 3;

/**
 * A 4 GiB disk image (the stand-in guest's disk as a sparse raw file) goes once over real SSH
 * into the host's image cache through `pulumi up`, boots as the stand-in guest's disk, and a
 * second VM from it transfers nothing; destroying both VMs keeps the image in the cache.
 */
describe('a 4 GiB disk image through the host image cache over SSH', () => {
  let hosts: SshHostsRig;
  const rig = new PulumiRig('imgcache', 'test', join(__dirname, '..', 'pulumi', 'programs', 'fleet.js'));
  const names = [uniqueName('wdkimg-a'), uniqueName('wdkimg-b')];
  const dir = mkdtempSync(join(tmpdir(), 'wdkimg-ssh-'));
  const raw = join(dir, 'standin-4g.raw');
  let digest = '';
  const engine = () => new Dockerode({ socketPath: hosts.hosts[0]!.socketPath });
  const vm = (name: string) =>
    standinVmArgs({
      name,
      host: hosts.hosts[0]!.name,
      media: { ...standinMedia(), diskImageFile: raw, diskImageFormat: 'raw' },
      systemDiskSize: '4GiB',
    });
  const config = (count: number) => ({
    'windock:hosts': [hosts.hosts[0]!.config],
    vms: names.slice(0, count).map(vm),
  });

  /** `pulumi up` with the engine's plain display, which shows the provider's progress lines. */
  const up = (count: number) => {
    process.env.WINDOCK_UP_DISPLAY = 'progress';
    try {
      return rig.ok('up', config(count));
    } finally {
      delete process.env.WINDOCK_UP_DISPLAY;
    }
  };

  beforeAll(async () => {
    execFileSync('qemu-img', [
      'convert',
      '-f',
      'qcow2',
      '-O',
      'raw',
      join(standinGuestDir(), 'disk.qcow2'),
      raw,
    ]);
    execFileSync('truncate', ['-s', '4G', raw]);
    digest = sha256Of(raw);
    hosts = await startSshHosts(1, { images: [WINDOCK_IMAGE] });
  });

  afterAll(async () => {
    if (hosts) rig.run('destroy', config(2));
    await hosts?.stopAll();
    rig.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the image once, streamed over SSH with progress lines, and boots the VM from it', async () => {
    expect(statSync(raw).size).toBe(4 * GiB);
    const run = up(1);
    expect(resourceSteps(run).map((s) => s.op)).toEqual(['create']);
    expect(run.output).toMatch(/sending .*standin-4g\.raw to host "[^"]+": .*of 4\.00 GiB \(\d+%\)/);
    expect(run.output).toContain(`(sha256 ${digest}, 4.00 GiB sent)`);
    const container = engine().getContainer(`windock-${names[0]}`);
    await waitForLog(container, STANDIN_READY, 300_000);
    const info = await container.inspect();
    expect(info.Mounts.find((m) => m.Destination === '/images')).toMatchObject({
      Name: IMAGE_CACHE_VOLUME,
      RW: false,
    });
    expect(await cacheFiles(engine(), WINDOCK_IMAGE, IMAGE_CACHE_VOLUME)).toEqual([`sha256/${digest}.qcow2`]);
  });

  it('starts a second VM from the cached image without sending anything, as a small overlay', async () => {
    const run = up(2);
    expect(resourceSteps(run).map((s) => s.op)).toEqual(expect.arrayContaining(['create']));
    expect(resourceSteps(run).filter((s) => s.op === 'create')).toHaveLength(1);
    expect(run.output).toContain('image cache (sha256 ' + digest + '): nothing to send');
    expect(run.output).not.toMatch(/sending .*standin-4g\.raw/);
    const container = engine().getContainer(`windock-${names[1]}`);
    await waitForLog(container, STANDIN_READY, 300_000);
    const exec = await container.exec({
      Cmd: ['sh', '-c', 'qemu-img info -U --output=json /storage/disks/system.qcow2; du -sk /storage/disks'],
      AttachStdout: true,
      AttachStderr: true,
    });
    const out = await new Promise<string>((resolve) => {
      void exec.start({}).then((stream) => {
        let text = '';
        stream.on('data', (c: Buffer) => (text += c.toString('latin1')));
        stream.on('end', () => resolve(text));
      });
    });
    expect(out).toContain(`"backing-filename": "${cachedImagePath(digest)}"`);
    const kib = Number(/(\d+)\s+\/storage\/disks/.exec(out)?.[1]);
    expect(kib).toBeLessThan(32 * 1024); // a few MiB of overlay, not 4 GiB
  });

  it('keeps the cached image when the VMs are destroyed', async () => {
    rig.ok('destroy', config(2));
    expect(
      await engine().listContainers({ all: true, filters: { label: ['io.windock.managed=true'] } }),
    ).toEqual([]);
    expect(await cacheFiles(engine(), WINDOCK_IMAGE, IMAGE_CACHE_VOLUME)).toEqual([`sha256/${digest}.qcow2`]);
  });
});
