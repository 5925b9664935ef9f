import type { PassthroughDeviceSpec } from '../../../contract/passthrough';
import type { HostGpuInventory } from '../../gpu/discover';
import { readHostInventory, type GpuHostAccess } from '../../gpu/helper';
import { planPassthrough, type PassthroughPlan } from '../../gpu/plan';
import { gpuRequestOf } from './check';
import { makeHostChanges, type HostChangeLog } from './host-changes';
import type { GpuAssignmentInputs } from './inputs';

/** The plan as create needs it: the host offers the device, or create fails with the reasons. */
export function planOrThrow(inventory: HostGpuInventory, inputs: GpuAssignmentInputs): PassthroughPlan {
  const outcome = planPassthrough(inventory, gpuRequestOf(inputs));
  if (!outcome.ok) throw new Error(outcome.failures.map((f) => f.reason).join('\n'));
  return outcome;
}

/** After windock's changes: every function it bound is on vfio-pci, and the plan from the host as it is now. */
async function planAfterChanges(
  host: GpuHostAccess,
  inputs: GpuAssignmentInputs,
  planned: PassthroughPlan,
): Promise<PassthroughPlan> {
  const after = await readHostInventory(host);
  for (const fn of planned.toBind) {
    const now = after.functions.find((f) => f.address === fn.address)?.driver;
    if (now !== 'vfio-pci')
      throw new Error(
        `${fn.address} is on ${now ?? 'no driver'} after binding, not vfio-pci: something on host "${inputs.host}" still uses it (see the warnings of preview)`,
      );
  }
  return planOrThrow(after, { ...inputs, bindVfio: true });
}

export interface ReadyDevice {
  plan: PassthroughPlan;
  device: PassthroughDeviceSpec;
}

/**
 * Makes the host ready for the planned device (logging each change in `log`) and returns the
 * device for the VM spec, which an mdev has only once it exists.
 */
export async function readyDevice(
  host: GpuHostAccess,
  inputs: GpuAssignmentInputs,
  planned: PassthroughPlan,
  log: HostChangeLog,
): Promise<ReadyDevice> {
  await makeHostChanges(host, inputs.bindVfio, planned, log);
  const plan = log.hostChanges.length > 0 ? await planAfterChanges(host, inputs, planned) : planned;
  if (!plan.device)
    throw new Error(
      `the mediated device ${plan.mdev?.uuid} has no IOMMU group on host "${inputs.host}" after it was created`,
    );
  return { plan, device: plan.device };
}
