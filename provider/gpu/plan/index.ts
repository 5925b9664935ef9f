import type { HostGpuInventory } from '../discover';
import { hostRefusal } from './host-refusal';
import { planMediatedDevice } from './mdev';
import { selectGpu } from './select';
import {
  isFailure,
  refused,
  type GpuRequest,
  type PlanContext,
  type PlanOutcome,
  type VirtualFunctionChoice,
} from './types';
import { planVirtualFunction } from './virtual-function';
import { planWholeGpu } from './whole';

export { derivedMdevUuid } from './mdev-uuid';
export { selectGpu } from './select';
export type {
  FunctionToBind,
  GpuRequest,
  GpuSelector,
  PassthroughMode,
  PassthroughPlan,
  PlanFailure,
  PlannedMdev,
  PlanOutcome,
} from './types';

/** The mode a request asks for, with what that mode needs to know. */
type ModeChoice =
  | { mode: 'whole' }
  | { mode: 'virtual-function'; vf: VirtualFunctionChoice }
  | { mode: 'mdev'; type: string; vf?: VirtualFunctionChoice };

function modeOf(request: GpuRequest, selectedVf: string | undefined): ModeChoice {
  const vf: VirtualFunctionChoice | undefined = selectedVf
    ? { address: selectedVf }
    : request.virtualFunction !== undefined
      ? { index: request.virtualFunction }
      : undefined;
  if (request.mdevType !== undefined) return { mode: 'mdev', type: request.mdevType, vf };
  return vf ? { mode: 'virtual-function', vf } : { mode: 'whole' };
}

function planMode(context: PlanContext, choice: ModeChoice): PlanOutcome {
  switch (choice.mode) {
    case 'whole':
      return planWholeGpu(context);
    case 'virtual-function':
      return planVirtualFunction(context, choice.vf);
    case 'mdev':
      return planMediatedDevice(context, choice.type, choice.vf);
  }
}

/**
 * Preflight, pure: can this host give this GPU to a VM, and what must happen first? Checks, in
 * order: the selection, the IOMMU, the console GPU (boot_vga), SR-IOV / mediated device
 * availability, the whole IOMMU group, vfio-pci, and each function's driver. Every failure
 * names the field, the device and the fix; when windock is not to bind (bindVfio false), the
 * fix is the exact host commands, per function.
 */
export function planPassthrough(inventory: HostGpuInventory, request: GpuRequest): PlanOutcome {
  const selected = selectGpu(inventory, request);
  if (isFailure(selected)) return refused(selected);
  const context: PlanContext = {
    inventory,
    request,
    gpu: selected.gpu,
    deviceId: request.deviceId ?? 'gpu0',
  };
  const choice = modeOf(request, selected.vf);
  const refusal = hostRefusal(context, choice.mode === 'whole');
  if (refusal) return refused(refusal);
  return planMode(context, choice);
}
