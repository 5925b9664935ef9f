import { isDeepStrictEqual } from 'node:util';
import type { RestoreSpec, VmSpec } from '../../../contract';
import { hardwareDifferences, hardwareOf } from '../../vm/snapshot-record';
import { readSnapshotRecord } from '../../vm/snapshots';
import type { WindowsVmInputs } from './inputs';
import type { HostContext } from './launch';
import type { WindowsVmOutputs } from './outputs';

export type SnapshotRestore = Extract<RestoreSpec, { kind: 'snapshot' }>;

/**
 * A changed restoreFrom: where the snapshot can be loaded in place (a running VM, nothing else
 * to restart for), do that; otherwise the new container starts from it. Either way the
 * snapshot's recorded hardware is checked against the new spec first, before anything stops.
 */
export async function plannedRestore(
  context: HostContext,
  old: WindowsVmOutputs,
  before: WindowsVmInputs,
  vm: WindowsVmInputs,
  spec: VmSpec,
): Promise<SnapshotRestore | undefined> {
  if (!vm.restoreFrom || isDeepStrictEqual(before.restoreFrom, vm.restoreFrom)) return undefined;
  const tag = vm.restoreFrom.snapshot;
  const record = await readSnapshotRecord({ docker: context.docker, container: old.containerName }, tag);
  if (!record) {
    throw new Error(
      `restoreFrom: VM "${vm.name}" has no snapshot "${tag}" taken by windock (see its WindowsSnapshot resources)`,
    );
  }
  const differences = hardwareDifferences(record.hardware, hardwareOf(spec));
  if (differences.length > 0) {
    throw new Error(
      `restoreFrom: snapshot "${tag}" was taken on other hardware (${differences.join('; ')}): change the VM back first; the VM was not touched`,
    );
  }
  return { kind: 'snapshot', tag, requestId: `r${Date.now().toString(36)}` };
}
