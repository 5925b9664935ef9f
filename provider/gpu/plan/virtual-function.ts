import type { PciFunction } from '../discover';
import { renderForHost, sriovWrites } from '../host-steps';
import { planPciFunctions } from './pci-functions';
import {
  isFailure,
  refused,
  type PlanContext,
  type PlanFailure,
  type PlanOutcome,
  type VirtualFunctionChoice,
} from './types';

const failure = (reason: string): PlanFailure => ({ property: 'virtualFunction', reason });

/** The address of the GPU's virtual function #index, or how to get it enabled. */
function addressOfIndex({ request, gpu }: PlanContext, index: number): string | PlanFailure {
  const sriov = gpu.functions[0]?.sriov;
  if (!sriov)
    return failure(
      `virtualFunction: GPU ${gpu.address} on host "${request.host}" has no SR-IOV (no sriov_totalvfs): pass the whole GPU (leave virtualFunction out)`,
    );
  const address = sriov.virtualFunctions[index];
  if (address) return address;
  const wanted = index + 1;
  if (wanted > sriov.total)
    return failure(
      `virtualFunction: GPU ${gpu.address} offers ${sriov.total} virtual functions (0-${sriov.total - 1}), not #${index}`,
    );
  return failure(
    `virtualFunction: GPU ${gpu.address} has ${sriov.enabled} virtual functions enabled, #${index} needs ${wanted}. ` +
      `Enable them on host "${request.host}" (as root; the count can only change from 0): ${renderForHost(sriovWrites(gpu.address, wanted)).join('; ')}` +
      (sriov.enabled > 0
        ? ` (first: echo 0 > /sys/bus/pci/devices/${gpu.address}/sriov_numvfs, which removes the ${sriov.enabled} enabled ones)`
        : ''),
  );
}

/** The SR-IOV virtual function chosen, as a PCI function of the host. */
export function virtualFunctionOf(
  context: PlanContext,
  choice: VirtualFunctionChoice,
): PciFunction | PlanFailure {
  const address = 'address' in choice ? choice.address : addressOfIndex(context, choice.index);
  if (typeof address !== 'string') return address;
  const vf = context.inventory.functions.find((f) => f.address === address);
  if (vf) return vf;
  return failure(
    `virtualFunction: ${address} is listed by ${context.gpu.address} but not on the PCI bus of host "${context.request.host}"`,
  );
}

/** Mode "virtual-function": one SR-IOV virtual function of the GPU goes to the VM. */
export function planVirtualFunction(context: PlanContext, choice: VirtualFunctionChoice): PlanOutcome {
  const vf = virtualFunctionOf(context, choice);
  if (isFailure(vf)) return refused(vf);
  return planPciFunctions(context, 'virtual-function', [vf], vf.address);
}
