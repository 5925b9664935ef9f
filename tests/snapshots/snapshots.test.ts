import {
  deleteSnapshot,
  listVmSnapshots,
  restoreSnapshot,
  SnapshotError,
  takeSnapshot,
} from '../../provider/vm/snapshots';
import { readSnapshotRecord } from '../../provider/vm/snapshots';
import { writeStorageFiles } from '../../provider/vm/volume-files';
import { Cleanup, localDocker } from '../rig/docker';
import { allocatedKiB, guestSh, startStandinVm } from './vm-rig';

/**
 * Snapshots of a real VM (the windock image, the stand-in guest under TCG, BIOS): RAM state
 * really restored (the guest's RAM-only tick counter and a file on its tmpfs), disk state
 * restored, disk-only snapshots, refused and failed restores that leave the VM as it was,
 * and disk space given back after a delete.
 */
describe('VM snapshots on the stand-in guest', () => {
  const docker = localDocker();
  const cleanup = new Cleanup();
  let vm: { name: string };
  const sh = (command: string) => guestSh(docker, vm.name, command);
  const ref = () => ({ docker, container: vm.name });
  const ticks = async () => Number(await sh('cat /run/ticks'));

  beforeAll(async () => {
    vm = await startStandinVm(docker, cleanup, 'wdk-snap');
  });
  afterAll(() => cleanup.run());

  it('restores RAM, devices and disks of a memory snapshot in place, fast, and sets the clock', async () => {
    await sh('echo before > /run/ram-marker; echo before > /mnt/disk/marker; sync');
    const record = await takeSnapshot(ref(), { tag: 'golden', memory: true, description: 'after boot' });
    expect(record).toMatchObject({
      tag: 'golden',
      memory: true,
      hardware: { memoryMiB: 256, cpuCores: 1, machine: 'pc-q35-7.2', firmware: 'bios' },
    });
    expect(record.nodes).toEqual(['disk-system']);
    expect(await readSnapshotRecord(ref(), 'golden')).toEqual(record);
    const ticksAtSnapshot = await ticks();

    await sh('echo after > /run/ram-marker; touch /run/after-only; echo after > /mnt/disk/marker; sync');
    await new Promise((r) => setTimeout(r, 3000));
    const ticksBefore = await ticks();
    expect(ticksBefore).toBeGreaterThan(ticksAtSnapshot + 5);

    const result = await restoreSnapshot(ref(), 'golden');
    console.log(
      `restore latency (stand-in, TCG): loaded ${result.loadMs} ms, guest agent answering ${result.responsiveMs} ms after the request; clock set: ${result.clockSet}`,
    );
    expect(result.clockSet).toBe(true);
    expect(await sh('cat /run/ram-marker')).toBe('before');
    expect(await sh('[ -e /run/after-only ] && echo yes || echo no')).toBe('no');
    expect(await ticks()).toBeLessThan(ticksBefore);
    expect(await sh('cat /mnt/disk/marker')).toBe('before');
    const guestNow = Number(await sh('date +%s'));
    expect(Math.abs(guestNow - Date.now() / 1000)).toBeLessThan(5);
  });

  it('lists snapshots with their records and refuses a duplicate name', async () => {
    const list = await listVmSnapshots(ref());
    const golden = list.find((s) => s.tag === 'golden');
    expect(golden?.vmStateBytes).toBeGreaterThan(1024 * 1024);
    expect(golden?.record?.description).toBe('after boot');
    await expect(takeSnapshot(ref(), { tag: 'golden', memory: true })).rejects.toThrow(
      /already has a snapshot "golden"/,
    );
  });

  it('refuses a restore on other hardware or of an unknown snapshot and leaves the VM running as it was', async () => {
    await sh('echo untouched > /run/ram-marker');
    const record = (await readSnapshotRecord(ref(), 'golden'))!;
    const tampered = { ...record, hardware: { ...record.hardware, memoryMiB: 512 } };
    await writeStorageFiles(docker, vm.name, [
      { path: 'snapshots/golden.json', content: JSON.stringify(tampered) },
    ]);
    try {
      const error = await restoreSnapshot(ref(), 'golden').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SnapshotError);
      expect((error as Error).message).toMatch(/memory \(MiB\) 512 at the snapshot, 256 now/);
    } finally {
      await writeStorageFiles(docker, vm.name, [
        { path: 'snapshots/golden.json', content: JSON.stringify(record) },
      ]);
    }
    await expect(restoreSnapshot(ref(), 'no-such', { withoutRecord: true })).rejects.toThrow(
      /has no snapshot "no-such"; the VM was not touched/,
    );
    await expect(restoreSnapshot(ref(), 'no-such')).rejects.toThrow(/no windock record/);

    // Still the same run: RAM untouched, the counter going on.
    const t1 = await ticks();
    expect(await sh('cat /run/ram-marker')).toBe('untouched');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await ticks()).toBeGreaterThan(t1);
    expect((await docker.getContainer(vm.name).inspect()).State.Running).toBe(true);
  });

  it('takes a disk-only snapshot (file systems frozen) and restores it by a restart', async () => {
    await sh('echo disk-before > /mnt/disk/marker; sync');
    const bootBefore = Number(await sh('cat /mnt/disk/boot-count'));
    const record = await takeSnapshot(ref(), { tag: 'disk-only', memory: false });
    expect(record.memory).toBe(false);
    const listed = (await listVmSnapshots(ref())).find((s) => s.tag === 'disk-only');
    expect(listed?.vmStateBytes).toBe(0);
    await sh('echo disk-after > /mnt/disk/marker; echo ram > /run/ram-marker; sync');

    const result = await restoreSnapshot(ref(), 'disk-only');
    console.log(`disk-only restore (power-down, revert, boot): ${result.responsiveMs} ms`);
    expect(await sh('cat /mnt/disk/marker')).toBe('disk-before');
    // A cold boot from the reverted disk: its counter is the snapshot's plus one, RAM is fresh.
    expect(Number(await sh('cat /mnt/disk/boot-count'))).toBe(bootBefore + 1);
    expect(await sh('[ -e /run/ram-marker ] && echo yes || echo no')).toBe('no');
  });

  it('gives the space back when snapshots are deleted', async () => {
    const disk = '/storage/disks/system.qcow2';
    const before = await allocatedKiB(docker, vm.name, disk);
    await takeSnapshot(ref(), { tag: 'big', memory: true });
    const withSnapshot = await allocatedKiB(docker, vm.name, disk);
    expect(withSnapshot - before).toBeGreaterThan(20 * 1024); // the vmstate: tens of MiB
    await deleteSnapshot(ref(), 'big');
    const after = await allocatedKiB(docker, vm.name, disk);
    console.log(
      `system.qcow2 allocated: ${before} KiB, with snapshot ${withSnapshot} KiB, after delete ${after} KiB`,
    );
    expect(after).toBeLessThan(before + 4 * 1024);
    expect((await listVmSnapshots(ref())).map((s) => s.tag)).not.toContain('big');
    expect(await readSnapshotRecord(ref(), 'big')).toBeUndefined();
    await deleteSnapshot(ref(), 'big'); // already gone: no error
  });

  it('lists and deletes snapshots of a stopped VM offline', async () => {
    await docker.getContainer(vm.name).stop({ t: 45 });
    const tags = (await listVmSnapshots(ref())).map((s) => s.tag).sort();
    expect(tags).toEqual(['disk-only', 'golden']);
    await deleteSnapshot(ref(), 'disk-only');
    expect((await listVmSnapshots(ref())).map((s) => s.tag)).toEqual(['golden']);
  });
});
