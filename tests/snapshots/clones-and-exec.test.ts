import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { createVmContainer } from '../../provider/docker/vm-container';
import { startVmContainer } from '../../provider/docker/vm-secrets';
import { withMacs, type VmSpec } from '../../contract';
import {
  baseMount,
  cloneDisks,
  prepareCloneBase,
  removeCloneBase,
  seedCloneVolume,
  type CloneBase,
} from '../../provider/vm/clone-base';
import { runInGuest } from '../../provider/vm/guest-exec';
import { waitForReadiness } from '../../provider/vm/readiness';
import { takeSnapshot } from '../../provider/vm/snapshots';
import { runInSnapshotCopy } from '../../provider/vm/throwaway';
import { Cleanup, localDocker, uniqueName, WINDOCK_IMAGE } from '../rig/docker';
import { guestSh, startStandinVm } from './vm-rig';

const CLI = join(resolve(__dirname, '..', '..'), 'dist', 'provider', 'cli', 'main.js');

/**
 * Commands in the guest (library and `windock exec`), osrun's throwaway mode (a copy resumed
 * from a memory snapshot over an overlay, discarded after), and linked clones over a frozen
 * base: isolated from each other and from the base, each with its own MAC and SMBIOS identity.
 */
describe('guest commands, throwaway copies and linked clones on the stand-in guest', () => {
  const docker = localDocker();
  const cleanup = new Cleanup();
  let vm: { name: string; spec: VmSpec };
  const ref = () => ({ docker, container: vm.name });
  let base: CloneBase;

  beforeAll(async () => {
    vm = await startStandinVm(docker, cleanup, 'windock-snapx');
  });
  afterAll(() => cleanup.run());

  it('runs a command in the guest with its real exit code, stdout and stderr (library and CLI)', async () => {
    const result = await runInGuest(ref(), ['sh', '-c', 'echo out; echo err >&2; exit 7']);
    expect(result.exitCode).toBe(7);
    expect(result.stdout.toString()).toBe('out\n');
    expect(result.stderr.toString()).toBe('err\n');

    const cli = spawnSync(
      'node',
      [
        CLI,
        'exec',
        '--host',
        'local',
        vm.name,
        '--',
        'sh',
        '-c',
        'cat /mnt/disk/hello.txt; echo oops >&2; exit 3',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(cli.stdout).toBe('windock stand-in guest disk\n');
    expect(cli.stderr).toBe('oops\n');
    expect(cli.status).toBe(3);
    const missing = spawnSync('node', [CLI, 'exec', 'no-such-vm', '--', 'true'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(missing.status).toBe(125);
    expect(missing.stderr).toMatch(/windock exec: /);
  });

  it('runs a command in a throwaway copy resumed from a memory snapshot; its changes are discarded', async () => {
    await guestSh(docker, vm.name, 'echo golden > /run/ram-marker; echo golden > /mnt/disk/marker; sync');
    await takeSnapshot(ref(), { tag: 'golden', memory: true });
    await guestSh(docker, vm.name, 'echo live > /run/ram-marker; echo live > /mnt/disk/marker; sync');

    const probe = [
      'sh',
      '-c',
      'cat /run/ram-marker /mnt/disk/marker; echo changed > /mnt/disk/marker; sync; exit 5',
    ];
    const first = await runInSnapshotCopy(ref(), 'golden', probe);
    base = await prepareCloneBase(ref(), 'golden');
    cleanup.add(() => removeCloneBase(docker, base.volume));
    console.log(
      `throwaway copy: guest answering ${first.readyMs} ms after the request (clone base made first)`,
    );
    expect(first.stdout.toString()).toBe('golden\ngolden\n');
    expect(first.exitCode).toBe(5);

    const second = await runInSnapshotCopy(ref(), 'golden', probe);
    console.log(`throwaway copy: guest answering ${second.readyMs} ms after the request (clone base reused)`);
    expect(second.stdout.toString()).toBe('golden\ngolden\n'); // the first copy's change was discarded

    const cli = spawnSync(
      'node',
      [CLI, 'exec', '--from-snapshot', 'golden', '--discard', vm.name, '--', 'cat', '/run/ram-marker'],
      { encoding: 'utf8', timeout: 240_000 },
    );
    expect(cli.stdout).toBe('golden\n');
    expect(cli.status).toBe(0);

    // The VM itself went on untouched, and no copy is left behind.
    expect(await guestSh(docker, vm.name, 'cat /run/ram-marker /mnt/disk/marker')).toBe('live\nlive');
    const left = await docker.listContainers({
      all: true,
      filters: { label: ['io.windock.throwaway=true'] },
    });
    expect(left.filter((c) => c.Names.some((n) => n.includes(vm.name)))).toEqual([]);
    const volumes = (await docker.listVolumes()).Volumes.filter(
      (v) => v.Name.startsWith(`${vm.name}-x`) || v.Name.startsWith(`windock-${vm.name}-x`),
    );
    expect(volumes).toEqual([]);
  });

  it('starts linked clones over the frozen base: independent, each with its own identity; the base stays while used', async () => {
    const clones: string[] = [];
    for (const n of [1, 2]) {
      const name = uniqueName(`wdk-clone${n}`);
      const uuid = randomUUID();
      const mac = `52:54:00:aa:bb:0${n}`;
      const source = base.sourceSpec;
      const spec: VmSpec = {
        ...source,
        name,
        identity: { uuid, serial: `WDK-CLONE-${n}` },
        disks: cloneDisks(base, source),
        boot:
          source.boot.kind === 'kernel'
            ? { ...source.boot, kernel: `${base.bootDir}/vmlinuz`, initrd: `${base.bootDir}/initrd.img` }
            : source.boot,
        network: withMacs(source.network, mac, { noPorts: true }),
      };
      const volumeName = `${name}-storage`;
      cleanup.add(() => docker.getVolume(volumeName).remove());
      cleanup.add(() => docker.getContainer(name).remove({ force: true }));
      await docker.createVolume({ Name: volumeName });
      await seedCloneVolume(docker, WINDOCK_IMAGE, base, volumeName);
      const container = await createVmContainer(docker, {
        spec,
        placement: {
          containerName: name,
          image: WINDOCK_IMAGE,
          volumeName,
          labels: {},
          published: [],
          kvmDevice: false,
          restartPolicy: 'no',
          extraVolumes: [baseMount(base)],
        },
      });
      await startVmContainer(docker, container.id, { 'console-token': 'clone-token' });
      clones.push(name);
    }
    for (const name of clones) await waitForReadiness(docker, name, 'agent', 240_000);

    const [c1, c2] = clones as [string, string];
    // Both start from the disk as it was at the snapshot.
    expect(await guestSh(docker, c1, 'cat /mnt/disk/marker')).toBe('golden');
    expect(await guestSh(docker, c2, 'cat /mnt/disk/marker')).toBe('golden');
    await guestSh(docker, c1, 'echo clone-1 > /mnt/disk/marker; sync');
    expect(await guestSh(docker, c2, 'cat /mnt/disk/marker')).toBe('golden');
    expect(await guestSh(docker, vm.name, 'cat /mnt/disk/marker')).toBe('live');

    const macs = await Promise.all(clones.map((c) => guestSh(docker, c, 'cat /sys/class/net/eth0/address')));
    expect(macs).toEqual(['52:54:00:aa:bb:01', '52:54:00:aa:bb:02']);
    const serials = await Promise.all(
      clones.map((c) => guestSh(docker, c, 'cat /sys/class/dmi/id/product_serial 2>/dev/null || echo none')),
    );
    expect(serials).toEqual(['WDK-CLONE-1', 'WDK-CLONE-2']);

    // The base is read-only for clones and cannot go while they exist.
    await expect(removeCloneBase(docker, base.volume)).rejects.toThrow(/still used by a clone/);
    for (const name of clones) await docker.getContainer(name).remove({ force: true });
    await removeCloneBase(docker, base.volume);
    await expect(docker.getVolume(base.volume).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});
