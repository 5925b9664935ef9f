import { readContainerFile, readContainerDir, runVolumeTool, writeStorageFiles } from '../vm/volume-files';
import { stopVmContainer } from '../vm/power';
import { getContainerArchive } from './archives';
import {
  containerExists,
  inspectContainer,
  listContainers,
  removeContainer,
  updateRestartPolicy,
} from './containers';
import { execOutput } from './exec-output';
import { FakeDocker } from './fake-docker';
import {
  HELPER_LABEL,
  helperContainerOptions,
  runHelperContainer,
  startHelperContainer,
} from './helper-container';
import { readContainerLogs } from './logs';
import { ensureVolume, inspectVolume, removeVolume, volumeExists } from './volumes';

const IMAGE = 'windock:test';

describe('containers', () => {
  it('inspects, or undefined for a missing one; exists; removes (a missing one is fine)', async () => {
    const docker = new FakeDocker();
    docker.addContainer({ name: 'vm-a', labels: { 'io.windock.managed': 'true' }, running: true });
    expect((await inspectContainer(docker, 'vm-a'))?.State.Running).toBe(true);
    expect(await inspectContainer(docker, 'nope')).toBeUndefined();
    expect(await containerExists(docker, 'vm-a')).toBe(true);
    expect(await removeContainer(docker, 'vm-a')).toBe(true);
    expect(await removeContainer(docker, 'vm-a')).toBe(false);
    expect(await containerExists(docker, 'vm-a')).toBe(false);
  });

  it('lists by label and updates the restart policy', async () => {
    const docker = new FakeDocker();
    docker.addContainer({ name: 'a', labels: { 'io.windock.vm': 'a' } });
    docker.addContainer({ name: 'b', labels: { 'io.windock.vm': 'b' } });
    expect((await listContainers(docker, { label: ['io.windock.vm=b'] })).map((c) => c.Names[0])).toEqual([
      '/b',
    ]);
    await updateRestartPolicy(docker, 'a', 'unless-stopped');
    expect((await inspectContainer(docker, 'a'))?.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
  });

  it('stops a running VM and reports undefined for a gone one', async () => {
    const docker = new FakeDocker();
    docker.addContainer({ name: 'vm', running: true });
    expect(await stopVmContainer(docker, 'vm', 10)).toBe(0);
    expect(docker.find('vm')?.running).toBe(false);
    expect(await stopVmContainer(docker, 'gone', 10)).toBeUndefined();
  });
});

describe('volumes', () => {
  it('ensures once, refuses to remove one in use, removes a free one', async () => {
    const docker = new FakeDocker();
    await ensureVolume(docker, 'cache', { 'io.windock.cache': 'true' });
    await ensureVolume(docker, 'cache', { other: 'x' });
    expect((await inspectVolume(docker, 'cache'))?.Labels).toEqual({ 'io.windock.cache': 'true' });
    docker.addContainer({ name: 'user', mounts: [{ Type: 'volume', Source: 'cache', Target: '/c' }] });
    await expect(removeVolume(docker, 'cache')).rejects.toMatchObject({ statusCode: 409 });
    await removeContainer(docker, 'user');
    await removeVolume(docker, 'cache');
    await removeVolume(docker, 'cache');
    expect(await volumeExists(docker, 'cache')).toBe(false);
  });
});

describe('archives and files', () => {
  it('writes storage files and reads them back, one or a directory; missing is undefined', async () => {
    const docker = new FakeDocker();
    docker.addContainer({ name: 'vm' });
    await writeStorageFiles(docker, 'vm', [
      { path: 'snapshots/a.json', content: '{"a":1}' },
      { path: 'snapshots/b.json', content: '{"b":2}' },
    ]);
    expect((await readContainerFile(docker, 'vm', '/storage/snapshots/a.json'))?.toString()).toBe('{"a":1}');
    expect([...(await readContainerDir(docker, 'vm', '/storage/snapshots')).keys()].sort()).toEqual([
      'a.json',
      'b.json',
    ]);
    expect(await readContainerFile(docker, 'vm', '/storage/none')).toBeUndefined();
    expect(await getContainerArchive(docker, 'gone', '/x')).toBeUndefined();
  });
});

describe('exec and logs', () => {
  it('runs an exec with scripted output', async () => {
    const docker = new FakeDocker().onExec((_c, cmd) => ({ stdout: `ran ${cmd.join(' ')}`, exitCode: 3 }));
    docker.addContainer({ name: 'vm', running: true });
    expect(await execOutput(docker, 'vm', ['echo', 'hi'])).toEqual({
      stdout: 'ran echo hi',
      stderr: '',
      exitCode: 3,
    });
  });

  it('reads logs demuxed and as one text', async () => {
    const docker = new FakeDocker().addImage(IMAGE).onRun(() => ({ stdout: 'out\n', stderr: 'err\n' }));
    const id = (await docker.createContainer({ Image: IMAGE })).id;
    await docker.getContainer(id).start();
    expect(await readContainerLogs(docker, id)).toEqual({
      stdout: 'out\n',
      stderr: 'err\n',
      text: 'out\nerr\n',
    });
  });
});

describe('helper container options', () => {
  it('hardens by default: no capability, no new privileges, read-only root, no network, read-only mounts', () => {
    const options = helperContainerOptions({
      image: IMAGE,
      purpose: 'probe',
      entrypoint: ['true'],
      mounts: [{ type: 'volume', source: 'v', target: '/v' }],
    });
    expect(options).toMatchObject({
      Labels: { [HELPER_LABEL]: 'probe' },
      NetworkDisabled: true,
      HostConfig: {
        NetworkMode: 'none',
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges:true'],
        ReadonlyRootfs: true,
        Mounts: [{ Type: 'volume', Source: 'v', Target: '/v', ReadOnly: true }],
      },
    });
    expect(options.HostConfig?.CapAdd).toBeUndefined();
    expect(options.name).toMatch(/^windock-helper-probe-[0-9a-f]{8}$/);
    expect(helperContainerOptions({ image: IMAGE, purpose: 'p', entrypoint: [] }).name).not.toBe(
      options.name,
    );
  });

  it('widens only what the caller names', () => {
    const options = helperContainerOptions({
      image: IMAGE,
      purpose: 'fetch',
      entrypoint: ['true'],
      network: 'bridge',
      capabilities: ['NET_ADMIN'],
      writableRootfs: true,
    });
    expect(options.NetworkDisabled).toBeUndefined();
    expect(options.HostConfig).toMatchObject({
      NetworkMode: 'bridge',
      CapDrop: ['ALL'],
      CapAdd: ['NET_ADMIN'],
    });
    expect(options.HostConfig?.ReadonlyRootfs).toBe(false);
  });
});

describe('helper containers at work', () => {
  it('runs to the end, returns its logs and exit code, and is removed', async () => {
    const docker = new FakeDocker()
      .addImage(IMAGE)
      .onRun(() => ({ stdout: 'ok', stderr: 'warn', exitCode: 2 }));
    const result = await runHelperContainer(docker, { image: IMAGE, purpose: 'probe', entrypoint: ['x'] });
    expect(result).toEqual({ exitCode: 2, stdout: 'ok', stderr: 'warn' });
    expect(docker.containers.size).toBe(0);
  });

  it('maps a missing image to the caller message', async () => {
    const docker = new FakeDocker();
    await expect(
      runHelperContainer(docker, {
        image: 'absent',
        purpose: 'probe',
        entrypoint: ['x'],
        imageMissing: () => new Error('build the image'),
      }),
    ).rejects.toThrow('build the image');
  });

  it('puts its files in before the start; an exec-driven helper is removed on remove()', async () => {
    const docker = new FakeDocker().addImage(IMAGE).onExec(() => ({ stdout: 'listed' }));
    const helper = await startHelperContainer(docker, {
      image: IMAGE,
      purpose: 'tool',
      files: { dir: '/etc/windock', files: [{ path: 'req.json', content: '{}' }] },
    });
    expect(docker.find(helper.id)?.files.get('/etc/windock/req.json')?.toString()).toBe('{}');
    expect((await helper.sh('ls')).stdout).toBe('listed');
    await helper.remove();
    expect(docker.containers.size).toBe(0);
  });

  it('runs a volume tool in a helper of the VM image when the VM is stopped', async () => {
    const docker = new FakeDocker()
      .addImage(IMAGE)
      .onRun((o) => ({ stdout: JSON.stringify(o.HostConfig?.Mounts) }));
    docker.addVolume('vm-data');
    docker.addContainer({
      name: 'vm',
      image: IMAGE,
      mounts: [{ Type: 'volume', Source: 'vm-data', Target: '/storage' }],
    });
    const result = await runVolumeTool(docker, 'vm', 'qemu-img info "$1"', ['/storage/disks/system.qcow2']);
    expect(JSON.parse(result.stdout)).toEqual([
      { Type: 'volume', Source: 'vm-data', Target: '/storage', ReadOnly: false },
    ]);
    expect(docker.containers.size).toBe(1);
  });
});
