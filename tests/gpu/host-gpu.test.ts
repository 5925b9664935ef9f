import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSyntheticSysfs, syntheticWorkstation } from '../../provider/gpu/fixtures/synthetic-sysfs';
import { discoverGpus } from '../../provider/gpu/discover';
import { applySysfsWrites, readHostInventory, type GpuHostAccess } from '../../provider/gpu/helper';
import { bindWrites } from '../../provider/gpu/host-steps';
import {
  acquireReservation,
  GpuReservedError,
  lockHolder,
  locksOf,
  releaseReservation,
  type Reservation,
} from '../../provider/gpu/reservation';
import { rootedSysfs } from '../../provider/gpu/sysfs-source';
import { localDocker, WINDOCK_IMAGE } from '../rig/docker';

/**
 * GPU host work on the real Docker engine. This machine has NO GPU: discovery and binding run
 * in real helper containers against SYNTHETIC sysfs trees bound where the host's /sys would be;
 * the reservation locks are real containers on the real engine.
 */
describe('GPU host work on the real engine (synthetic sysfs, no GPU here)', () => {
  const docker = localDocker();
  let root: string;
  let access: GpuHostAccess;
  // Addresses no other test uses; unique per run so a left-over lock never interferes.
  const bus = (Math.floor(Math.random() * 0x60) + 0x90).toString(16);
  const address = `0000:${bus}:00.0`;

  beforeAll(() => {
    root = buildSyntheticSysfs(mkdtempSync(join(tmpdir(), 'windock-sysfs-')), syntheticWorkstation());
    access = { docker, hostName: 'local', image: WINDOCK_IMAGE, sysfsRoot: root };
  });
  afterAll(async () => {
    for (const lock of await locksOf(docker, { parent: address }))
      await docker
        .getContainer(lock.name)
        .remove({ force: true })
        .catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  });

  it('discovers through a read-only helper container exactly what a local read finds (synthetic tree)', async () => {
    const remote = await readHostInventory(access);
    expect(remote).toEqual(discoverGpus(rootedSysfs(root)));
    expect(remote.gpus).toHaveLength(6);
    // No NVIDIA container runtime here: nvidia-smi is absent, and discovery says so.
    expect(remote.nvidiaSmi).toBe(false);
    const left = await docker.listContainers({ all: true, filters: { label: ['io.windock.helper=gpu'] } });
    expect(left).toEqual([]);
  });

  it('binds through a writable helper container: the per-function sysfs writes land (synthetic tree)', async () => {
    await applySysfsWrites(access, bindWrites('0000:01:00.0'), 'binding 0000:01:00.0');
    expect(readFileSync(join(root, 'bus/pci/devices/0000:01:00.0/driver_override'), 'utf8')).toBe(
      'vfio-pci\n',
    );
    expect(readFileSync(join(root, 'bus/pci/drivers/nvidia/unbind'), 'utf8')).toBe('0000:01:00.0\n');
    expect(readFileSync(join(root, 'bus/pci/drivers_probe'), 'utf8')).toBe('0000:01:00.0\n');
    await expect(
      applySysfsWrites(access, bindWrites('0000:0f:00.0'), 'binding 0000:0f:00.0'),
    ).rejects.toThrow(
      /binding 0000:0f:00.0 on host "local" failed \(exit 3\): [\s\S]*FAILED bus\/pci\/devices\/0000:0f:00.0\/driver_override/,
    );
  });

  const reservation = (over: Partial<Reservation> = {}): Reservation => ({
    assignmentId: randomUUID(),
    owner: 'test/gpu',
    vm: 'vm-a',
    mode: 'whole',
    parent: address,
    targets: [address, address.replace(/0$/, '1')],
    ...over,
  });

  it('lets exactly one of many concurrent reservations of one GPU win', async () => {
    const racers = Array.from({ length: 8 }, (_, i) =>
      reservation({ owner: `test/racer-${i}`, vm: `vm-${i}` }),
    );
    const results = await Promise.allSettled(
      racers.map((r) => acquireReservation(docker, WINDOCK_IMAGE, 'local', r)),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const winner = racers[results.findIndex((r) => r.status === 'fulfilled')]!;
    for (const lost of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect(lost.reason).toBeInstanceOf(GpuReservedError);
      expect(lost.reason.message).toMatch(
        new RegExp(`on host "local" is reserved by test/racer-\\d for VM "vm-\\d"`),
      );
    }
    // Both functions are held by the winner, and nothing of the losers is left.
    const locks = await locksOf(docker, { parent: address });
    expect(locks.map((l) => l.assignment)).toEqual([winner.assignmentId, winner.assignmentId]);
    const state = await docker.getContainer(locks[0]!.name).inspect();
    expect(state.State.Status).toBe('created');

    // Someone else's lock is never removed; the owner's release removes it.
    const other = await releaseReservation(docker, randomUUID(), winner.targets);
    expect(other.released).toEqual([]);
    expect(other.foreign).toHaveLength(2);
    expect(await lockHolder(docker, address)).toMatchObject({ assignment: winner.assignmentId });
    const mine = await releaseReservation(docker, winner.assignmentId, winner.targets);
    expect(mine.released).toHaveLength(2);
    expect(await lockHolder(docker, address)).toBeUndefined();
  });

  it('keeps a whole GPU and its virtual functions / mediated devices apart, even racing', async () => {
    const vf = reservation({ mode: 'virtual-function', targets: [address.replace(/0$/, '4')] });
    const whole = reservation();
    const results = await Promise.allSettled([
      acquireReservation(docker, WINDOCK_IMAGE, 'local', vf),
      acquireReservation(docker, WINDOCK_IMAGE, 'local', whole),
    ]);
    // Never both; at most one (both may back off when they see each other at the same moment).
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeLessThanOrEqual(1);
    const holders = await locksOf(docker, { parent: address });
    expect(new Set(holders.map((h) => h.assignment)).size).toBeLessThanOrEqual(1);
    for (const h of holders) await docker.getContainer(h.name).remove({ force: true });

    // Two virtual functions of one GPU can go to two VMs.
    const vf2 = reservation({ mode: 'virtual-function', targets: [address.replace(/0$/, '5')] });
    await acquireReservation(docker, WINDOCK_IMAGE, 'local', vf);
    await acquireReservation(docker, WINDOCK_IMAGE, 'local', vf2);
    await expect(acquireReservation(docker, WINDOCK_IMAGE, 'local', reservation())).rejects.toThrow(
      new RegExp(`GPU ${address} is partly in use: .*reserved by test/gpu`),
    );
    await releaseReservation(docker, vf.assignmentId, vf.targets);
    await releaseReservation(docker, vf2.assignmentId, vf2.targets);
  });
});
