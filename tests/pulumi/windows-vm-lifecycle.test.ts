import { join } from 'node:path';
import { execOutput } from '../../provider/docker/exec-output';
import { connectVmQmp } from '../../provider/vm/qmp-exec';
import { waitForReadiness } from '../../provider/vm/readiness';
import { Cleanup, localDocker, uniqueName } from '../rig/docker';
import { guestSh } from '../rig/guest-shell';
import { PulumiRig, resourceSteps } from '../rig/pulumi';
import { standinMedia, standinVmArgs } from '../rig/standin-guest';

/**
 * WindowsVm through the real Pulumi engine (file backend) on the local Docker engine, with the
 * stand-in guest under TCG: every impact tier, drift, secrets and a clean destroy.
 */
describe('WindowsVm lifecycle through the real engine', () => {
  const docker = localDocker();
  const cleanup = new Cleanup();
  const name = uniqueName('wdk-life');
  const rig = new PulumiRig('lifecycle', 'test', join(__dirname, 'programs', 'one-vm.js'));
  const media = standinMedia();
  const base = standinVmArgs({ name, readiness: 'agent' });
  const config = (vm: Record<string, unknown>) => ({ vm: { ...base, ...vm } });
  const container = () => docker.getContainer(`windock-${name}`);

  const guest = (command: string) => guestSh(docker, `windock-${name}`, command);

  afterAll(async () => {
    rig.run('destroy', config({}));
    await cleanup.run();
    rig.dispose();
  });
  cleanup.add(() => container().remove({ force: true }));

  let volumeName = '';
  let consoleToken = '';

  it('creates the VM, waits for its guest agent, and keeps secrets out of state', async () => {
    const run = rig.ok('up', config({}));
    expect(resourceSteps(run).map((s) => s.op)).toEqual(['create']);
    const info = await container().inspect();
    expect(info.State.Running).toBe(true);
    expect(info.HostConfig.Privileged).toBe(false);
    expect(info.HostConfig.PortBindings['8006/tcp'][0].HostIp).toBe('127.0.0.1');
    volumeName = info.Mounts.find((m) => m.Destination === '/storage')!.Name!;
    cleanup.add(() => docker.getVolume(volumeName).remove());

    expect(await guest('cat /mnt/disk/boot-count')).toBe('1');
    await guest('echo precious-data > /mnt/disk/marker && sync');

    consoleToken = (await guest('true').then(() => '')) || '';
    const exec = await container().exec({
      Cmd: ['cat', '/run/windock/secrets/console-token'],
      AttachStdout: true,
    });
    const stream = await exec.start({});
    consoleToken = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => resolve(Buffer.concat(chunks).subarray(8).toString('utf8').trim()));
    });
    expect(consoleToken.length).toBeGreaterThan(20);
    const state = rig.stateText();
    expect(state).not.toContain(consoleToken);
    // The serialized provider is the thin one: small, no implementation, no credentials.
    const resources = JSON.parse(state).checkpoint.latest.resources as Array<{
      type: string;
      outputs?: { __provider?: string };
    }>;
    const provider = resources.find((r) => r.type.endsWith('windock:WindowsVm'))!.outputs!.__provider!;
    expect(provider).toContain('windock/dist/provider/resources/windows-vm/provider');
    expect(provider.length).toBeLessThan(8000);
    expect(provider).not.toMatch(/dockerode|ssh2|PRIVATE KEY|createContainer/i);
    expect(JSON.stringify(info.Config.Env)).not.toContain(consoleToken);
    expect(JSON.stringify(info)).not.toContain(consoleToken);
  });

  it('previews a CPU and RAM change as a restart, then restarts on the same disk', async () => {
    const preview = rig.ok('preview', config({ cpu: 2, memory: '384MiB' }));
    const [step] = resourceSteps(preview);
    expect(step?.op).toBe('update');
    expect(step?.new?.inputs?.changeImpact).toBe(
      'restart: cpu 1 → 2, memory 256MiB → 384MiB (graceful power-down, a new container on the same disks, boot)',
    );
    const before = (await container().inspect()).Id;
    rig.ok('up', config({ cpu: 2, memory: '384MiB' }));
    const after = await container().inspect();
    expect(after.Id).not.toBe(before);
    expect(after.Mounts.find((m) => m.Destination === '/storage')!.Name).toBe(volumeName);
    expect(await guest('cat /mnt/disk/marker')).toBe('precious-data');
    expect(await guest('cat /mnt/disk/boot-count')).toBe('2');
    expect(await guest('grep -c ^processor /proc/cpuinfo')).toBe('2');
  });

  it('grows the system disk live, without a restart', async () => {
    const before = (await container().inspect()).Id;
    const preview = rig.ok('preview', config({ cpu: 2, memory: '384MiB', systemDiskSize: '128MiB' }));
    expect(resourceSteps(preview)[0]?.new?.inputs?.changeImpact).toMatch(
      /^live: systemDiskSize 64MiB → 128MiB/,
    );
    rig.ok('up', config({ cpu: 2, memory: '384MiB', systemDiskSize: '128MiB' }));
    expect((await container().inspect()).Id).toBe(before);
    const qmp = await connectVmQmp(docker, `windock-${name}`);
    const blocks =
      await qmp.execute<
        Array<{ device: string; qdev?: string; inserted?: { image: { 'virtual-size': number } } }>
      >('query-block');
    await qmp.close();
    const system = blocks.find((b) => b.inserted && b.qdev?.includes('disk-system'));
    expect(system?.inserted?.image['virtual-size']).toBe(128 * 1024 ** 2);
  });

  it('refuses a disk shrink at preview, naming the field', () => {
    const run = rig.run('preview', config({ cpu: 2, memory: '384MiB', systemDiskSize: '64MiB' }));
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/systemDiskSize: disks never shrink: systemDiskSize is 128MiB/);
  });

  it('applies a port change with a restart, publishing the port on loopback', async () => {
    rig.ok(
      'up',
      config({ cpu: 2, memory: '384MiB', systemDiskSize: '128MiB', ports: [{ name: 'web', guest: 80 }] }),
    );
    const info = await container().inspect();
    expect(info.HostConfig.PortBindings['20000/tcp'][0].HostIp).toBe('127.0.0.1');
    const hostPort = info.NetworkSettings.Ports['20000/tcp']![0]!.HostPort;
    const page = await fetch(`http://127.0.0.1:${hostPort}/`).then((r) => r.text());
    expect(page).toContain('windock-standin-ok');
    expect(await guest('cat /mnt/disk/marker')).toBe('precious-data');
  });

  it('a restart Docker made alone keeps secrets off disk: the console waits until refresh hands the token back', async () => {
    const vm = { cpu: 2, memory: '384MiB', systemDiskSize: '128MiB', ports: [{ name: 'web', guest: 80 }] };
    const answers = async (): Promise<number | undefined> => {
      const port = (await container().inspect()).NetworkSettings.Ports['8006/tcp']?.[0]?.HostPort;
      return fetch(`http://127.0.0.1:${port}/?token=${consoleToken}`, { redirect: 'manual' })
        .then((r) => r.status)
        .catch(() => undefined);
    };
    // As after a host reboot with autostart: the tmpfs starts empty and nobody hands anything over.
    await container().restart({ t: 60 });
    await waitForReadiness(docker, `windock-${name}`, 'agent', 180_000);
    expect(await guest('cat /mnt/disk/marker')).toBe('precious-data');
    const { stdout: listing } = await execOutput(docker, `windock-${name}`, ['ls', '/run/windock/secrets']);
    expect(listing).not.toContain('console-token');
    expect(await answers()).toBeUndefined(); // nothing listens: no console without its token
    rig.ok('refresh', config(vm));
    let status: number | undefined;
    for (let i = 0; i < 50 && status === undefined; i++) {
      status = await answers();
      if (status === undefined) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBeDefined();
    expect(status!).toBeLessThan(400);
  });

  it('sees a container removed behind its back, and brings the VM back on the same disk', async () => {
    const vm = { cpu: 2, memory: '384MiB', systemDiskSize: '128MiB', ports: [{ name: 'web', guest: 80 }] };
    await container().remove({ force: true });
    rig.ok('refresh', config(vm));
    expect(rig.stateText()).toMatch(/"powerState":\s*"stopped"/);
    const preview = rig.ok('preview', config(vm));
    expect(resourceSteps(preview)[0]?.op).toBe('update');
    rig.ok('up', config(vm));
    expect((await container().inspect()).State.Running).toBe(true);
    expect(await guest('cat /mnt/disk/marker')).toBe('precious-data');
  });

  it('previews an install-time change as a replace that says the disks go', () => {
    const preview = rig.ok(
      'preview',
      config({
        cpu: 2,
        memory: '384MiB',
        systemDiskSize: '128MiB',
        ports: [{ name: 'web', guest: 80 }],
        media: { ...media, cmdline: 'console=ttyS0' },
      }),
    );
    const steps = resourceSteps(preview);
    expect(steps.map((s) => s.op)).toContain('create-replacement');
    const step = steps.find((s) => s.new?.inputs);
    expect(step?.new?.inputs?.changeImpact).toMatch(/^replace: media changed .*old disks are DELETED/);
  });

  it('destroys the VM and leaves no container or volume behind', async () => {
    rig.ok('destroy', config({}));
    await expect(container().inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(docker.getVolume(volumeName).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});
