import { QmpJobError, SnapshotLoadError } from './errors';
import type { QmpClient } from './qmp-client';
import { runJob, type RunJobOptions } from './run-job';
import type { QmpStatus } from './types';
import { queryStatus } from './vm-control';

/** An internal (qcow2) snapshot: which block node takes the RAM state, which take disk state. */
export interface SnapshotTarget extends RunJobOptions {
  tag: string;
  /** Block node name (`-blockdev ...,node-name=`) that stores the vmstate. */
  vmstateNode: string;
  /** Every writable node whose contents belong to the snapshot (disks, qcow2 UEFI vars). */
  deviceNodes: string[];
}

/** Saves a snapshot; the VM pauses for the duration. An existing tag fails with `QmpJobError`. */
export async function snapshotSave(client: QmpClient, target: SnapshotTarget): Promise<void> {
  await runJob(client, 'snapshot-save', jobArgs(target), target);
}

/**
 * Restores a snapshot. On failure throws `SnapshotLoadError` with the VM status after it:
 * a failure before anything was loaded (unknown tag) leaves the VM as it was; a failure
 * while loading the vmstate leaves it paused in `restore-vm` with partly loaded state.
 */
export async function snapshotLoad(client: QmpClient, target: SnapshotTarget): Promise<void> {
  const before = await queryStatus(client);
  try {
    await runJob(client, 'snapshot-load', jobArgs(target), target);
  } catch (err) {
    if (!(err instanceof QmpJobError)) throw err;
    const after = await queryStatus(client).catch(() => undefined);
    if (!after) throw err;
    throw new SnapshotLoadError(err, before.running, after);
  }
}

export interface RecoverOptions {
  wasRunning: boolean;
  /** `system_reset` first: use when the vmstate was partly loaded (`restore-vm`). */
  reset?: boolean;
}

/**
 * Brings the VM back to a known run state after a failed load: resets it if asked, and
 * resumes it if it was running before. Returns the resulting status.
 */
export async function recoverAfterFailedLoad(client: QmpClient, options: RecoverOptions): Promise<QmpStatus> {
  if (options.reset) await client.execute('system_reset');
  const status = await queryStatus(client);
  if (options.wasRunning && !status.running) await client.execute('cont');
  return queryStatus(client);
}

/** Deletes a snapshot from the given nodes; an unknown tag succeeds. */
export async function snapshotDelete(
  client: QmpClient,
  target: { tag: string; deviceNodes: string[] } & RunJobOptions,
): Promise<void> {
  await runJob(client, 'snapshot-delete', { tag: target.tag, devices: target.deviceNodes }, target);
}

function jobArgs(target: SnapshotTarget): Record<string, unknown> {
  return { tag: target.tag, vmstate: target.vmstateNode, devices: target.deviceNodes };
}
