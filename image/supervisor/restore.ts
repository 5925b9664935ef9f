import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { QmpClient } from '../../lib/qmp/qmp-client';
import { snapshotLoad } from '../../lib/qmp/snapshots';
import { queryStatus } from '../../lib/qmp/vm-control';
import { RESTORE_MARKER, type RestoreSpec, type VmSpec } from '../../contract';
import { EXIT, SupervisorError } from './exit-codes';
import { snapshotNodesOf } from '../../contract/block-nodes';

/**
 * The restore this start must do, if any. A `snapshot` restore is done once per requestId
 * (noted in the volume), so a later restart of the same container boots from the disks.
 */
export function pendingRestore(spec: VmSpec, markerPath = RESTORE_MARKER): RestoreSpec | undefined {
  const restore = spec.restore;
  if (restore?.kind !== 'snapshot') return restore;
  const done = existsSync(markerPath) ? readFileSync(markerPath, 'utf8').trim() : '';
  return done === restore.requestId ? undefined : restore;
}

/** Loads the saved state into the just-started QEMU; the VM runs afterwards. */
export async function applyRestore(
  monitor: QmpClient,
  spec: VmSpec,
  restore: RestoreSpec,
  log: (line: string) => void,
): Promise<void> {
  const started = Date.now();
  try {
    if (restore.kind === 'snapshot') {
      const { vmstateNode, nodes } = snapshotNodesOf(spec);
      await snapshotLoad(monitor, {
        tag: restore.tag,
        vmstateNode,
        deviceNodes: nodes,
        timeoutMs: 600_000,
      });
      if (!(await queryStatus(monitor)).running) await monitor.execute('cont');
      mkdirSync(dirname(RESTORE_MARKER), { recursive: true });
      writeFileSync(RESTORE_MARKER, `${restore.requestId}\n`);
    } else {
      // QEMU waits in `inmigrate` (-incoming defer); it runs by itself once the stream is in.
      await monitor.execute('migrate-incoming', { uri: `exec:cat ${shellQuote(restore.path)}` });
      const deadline = Date.now() + 600_000;
      for (;;) {
        const status = await queryStatus(monitor);
        if (status.running) break;
        if (status.status !== 'inmigrate' && status.status !== 'prelaunch' && status.status !== 'paused') {
          throw new Error(`the VM is "${status.status}" after loading the state`);
        }
        if (status.status === 'paused') await monitor.execute('cont');
        if (Date.now() > deadline) throw new Error('loading the state did not finish in 10 min');
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  } catch (error) {
    const what =
      restore.kind === 'snapshot' ? `snapshot "${restore.tag}"` : `the saved state ${restore.path}`;
    throw new SupervisorError(
      `could not start the VM from ${what}: ${(error as Error).message}`,
      EXIT.QEMU_FAILED,
      'restore',
    );
  }
  log(
    `restored from ${restore.kind === 'snapshot' ? `snapshot "${restore.tag}"` : restore.path} in ${Date.now() - started} ms`,
  );
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
