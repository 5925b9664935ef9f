import { applySysfsWrites, type GpuHostAccess } from '../../gpu/helper';
import {
  bindWrites,
  mdevCreateWrites,
  mdevRemoveWrites,
  restoreWrites,
  type SysfsWrite,
} from '../../gpu/host-steps';
import type { PassthroughPlan } from '../../gpu/plan';

/**
 * What windock changed on a host for one assignment, in order ("bound 0000:01:00.0",
 * "created-mdev <uuid>"), and the drivers it took functions from. Each change is logged as soon
 * as it is made, so that a failure half-way undoes exactly what was done.
 */
export interface HostChangeLog {
  hostChanges: string[];
  driversBefore: Record<string, string>;
}

export const newChangeLog = (): HostChangeLog => ({ hostChanges: [], driversBefore: {} });

/** What to write to undo windock's host changes, from the recorded list. */
export function undoWrites(changes: string[]): SysfsWrite[] {
  const writes: SysfsWrite[] = [];
  for (const change of [...changes].reverse()) {
    const [kind, target] = change.split(' ');
    if (kind === 'bound' && target) writes.push(...restoreWrites(target));
    if (kind === 'created-mdev' && target) writes.push(...mdevRemoveWrites(target));
  }
  return writes;
}

async function createMdev(
  host: GpuHostAccess,
  mdev: NonNullable<PassthroughPlan['mdev']>,
  log: HostChangeLog,
): Promise<void> {
  await applySysfsWrites(
    host,
    mdevCreateWrites(mdev.parent, mdev.type, mdev.uuid),
    `creating mediated device ${mdev.uuid}`,
  );
  log.hostChanges.push(`created-mdev ${mdev.uuid}`);
}

async function bindToVfio(host: GpuHostAccess, toBind: PassthroughPlan['toBind'], log: HostChangeLog) {
  for (const fn of toBind) {
    if (fn.driver) log.driversBefore[fn.address] = fn.driver;
    await applySysfsWrites(host, bindWrites(fn.address), `binding ${fn.address} to vfio-pci`);
    log.hostChanges.push(`bound ${fn.address}`);
  }
}

/** Makes what the plan needs on the host (a mediated device, vfio-pci bindings), when bindVfio lets windock. */
export async function makeHostChanges(
  host: GpuHostAccess,
  bindVfio: boolean,
  planned: PassthroughPlan,
  log: HostChangeLog,
): Promise<void> {
  if (!bindVfio) return;
  if (planned.mdev && !planned.mdev.exists) await createMdev(host, planned.mdev, log);
  await bindToVfio(host, planned.toBind, log);
}

/** Undoes the logged changes, best effort: what failed stays failed, with its own error. */
export async function undoHostChanges(host: GpuHostAccess, log: HostChangeLog): Promise<void> {
  await applySysfsWrites(host, undoWrites(log.hostChanges), 'undoing the host changes').catch(
    () => undefined,
  );
}
