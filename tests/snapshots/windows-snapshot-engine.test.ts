import { join } from 'node:path';
import { deleteSnapshot, listVmSnapshots, takeSnapshot } from '../../provider/vm/snapshots';
import { Cleanup, localDocker, uniqueName } from '../rig/docker';
import { PulumiRig, resourceSteps } from '../rig/pulumi';
import { standinGuestDir } from '../rig/standin-guest';

const SNAPSHOT_TYPE = 'pulumi-nodejs:dynamic/windock:WindowsSnapshot';

/**
 * WindowsSnapshot through the real Pulumi engine (file backend) on a stand-in VM under TCG:
 * create, description updated in place, identity change replaces (old one deleted), refresh
 * drops a snapshot deleted behind Pulumi's back, destroy frees everything.
 */
describe('WindowsSnapshot through the real engine', () => {
  const docker = localDocker();
  const cleanup = new Cleanup();
  const name = uniqueName('wdk-snapeng');
  const container = `windock-${name}`;
  const rig = new PulumiRig(
    'snapshots',
    'test',
    join(__dirname, '..', 'pulumi', 'programs', 'vm-with-snapshot.js'),
  );
  const dir = standinGuestDir();
  const vm = {
    name,
    media: {
      kind: 'kernel',
      kernelFile: `${dir}/vmlinuz`,
      initrdFile: `${dir}/initrd.img`,
      diskImageFile: `${dir}/disk.qcow2`,
    },
    cpu: 1,
    memory: '256MiB',
    systemDiskSize: '64MiB',
    firmware: 'bios',
    accelerator: 'tcg',
    readiness: 'agent',
    timeouts: { createSeconds: 240, shutdownSeconds: 30 },
  };
  // `snapshot: null` removes it (stack config keys are set, never unset, between runs).
  const config = (snapshot: Record<string, unknown> | undefined) => ({ vm, snapshot: snapshot ?? null });
  const tags = async () => (await listVmSnapshots({ docker, container })).map((s) => s.tag).sort();
  const snapshotOps = (run: ReturnType<PulumiRig['run']>) =>
    resourceSteps(run, SNAPSHOT_TYPE).map((s) => s.op);

  afterAll(async () => {
    rig.run('destroy', config(undefined));
    await cleanup.run();
    rig.dispose();
  });
  cleanup.add(() => docker.getContainer(container).remove({ force: true }));

  it('creates a memory snapshot of the VM', async () => {
    const run = rig.ok('up', config({ name: 'golden', description: 'first' }));
    expect(snapshotOps(run)).toEqual(['create']);
    const info = await docker.getContainer(container).inspect();
    const volume = info.Mounts.find((m) => m.Destination === '/storage')!.Name!;
    cleanup.add(() => docker.getVolume(volume).remove());
    const listed = await listVmSnapshots({ docker, container });
    expect(listed.map((s) => s.tag)).toEqual(['golden']);
    expect(listed[0]!.vmStateBytes).toBeGreaterThan(1024 * 1024);
    expect(listed[0]!.record?.description).toBe('first');
  });

  it('updates the description in place and replaces on a new name', async () => {
    const updated = rig.ok('up', config({ name: 'golden', description: 'second' }));
    expect(snapshotOps(updated)).toEqual(['update']);
    expect((await listVmSnapshots({ docker, container }))[0]!.record?.description).toBe('second');

    const replaced = rig.ok('up', config({ name: 'golden-2', description: 'second', memory: false }));
    // Identity changed: the old snapshot is deleted first, then the new one taken.
    expect(snapshotOps(replaced)).toEqual(expect.arrayContaining(['delete-replaced', 'create-replacement']));
    expect(await tags()).toEqual(['golden-2']);
  });

  it('drops a snapshot deleted behind its back on refresh, and deletes the snapshot with the stack', async () => {
    await deleteSnapshot({ docker, container }, 'golden-2');
    rig.ok('refresh', config({ name: 'golden-2', description: 'second', memory: false }));
    expect(rig.stateText()).not.toContain('windock:WindowsSnapshot');
    // The next up takes it again.
    const again = rig.ok('up', config({ name: 'golden-2', description: 'second', memory: false }));
    expect(snapshotOps(again)).toEqual(['create']);
    expect(await tags()).toEqual(['golden-2']);

    // Removing it from the program deletes it from the VM (the VM stays).
    await takeSnapshot({ docker, container }, { tag: 'outside', memory: false });
    const removed = rig.ok('up', config(undefined));
    expect(snapshotOps(removed)).toEqual(['delete']);
    expect(await tags()).toEqual(['outside']);
    rig.ok('destroy', config(undefined));
    await expect(docker.getContainer(container).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});
