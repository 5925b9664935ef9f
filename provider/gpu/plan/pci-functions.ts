import { romContainerPath, type PassthroughDeviceSpec } from '../../../contract/passthrough';
import type { PciFunction } from '../discover';
import { bindStep, bindWarnings, readinessFailure } from './bind';
import { iommuGroupFailures } from './iommu-group';
import type { PlanContext, PlanOutcome } from './types';

/** The VM spec's device: every function with its group (all known once the group check passed). */
function pciDevice({ request, deviceId }: PlanContext, functions: PciFunction[]): PassthroughDeviceSpec {
  return {
    kind: 'pci',
    id: deviceId,
    functions: functions.flatMap((f) =>
      f.iommuGroup ? [{ address: f.address, iommuGroup: f.iommuGroup }] : [],
    ),
    ...(request.romFile ? { rom: { hostFile: request.romFile, file: romContainerPath(deviceId) } } : {}),
    primaryDisplay: request.primaryDisplay,
  };
}

/**
 * The step whole GPUs and virtual functions share: their PCI functions go to the VM with their
 * whole IOMMU groups, on vfio-pci. `address` is the device reserved (the GPU or the VF).
 */
export function planPciFunctions(
  context: PlanContext,
  mode: 'whole' | 'virtual-function',
  functions: PciFunction[],
  address: string,
): PlanOutcome {
  const { toBind, hostSteps } = bindStep(context.inventory, functions);
  const unready = `${toBind.map((f) => `${f.address} is on ${f.driver ?? 'no driver'}`).join(', ')}, not vfio-pci`;
  const notReady = readinessFailure(context, hostSteps, toBind, unready);
  const failures = [...iommuGroupFailures(context, functions, address), ...(notReady ? [notReady] : [])];
  if (failures.length > 0) return { ok: false, failures };
  return {
    ok: true,
    gpu: context.gpu,
    mode,
    address,
    parent: context.gpu.address,
    functions,
    toBind,
    hostSteps,
    warnings: bindWarnings(functions, toBind),
    device: pciDevice(context, functions),
  };
}
