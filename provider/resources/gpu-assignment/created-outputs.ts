import type { ReadyDevice } from './ready-device';
import type { HostChangeLog } from './host-changes';
import type { GpuAssignmentInputs } from './inputs';
import { GPU_STATE_VERSION, type GpuAssignmentOutputs } from './outputs';

/** What create made: the reservation (targets, its lock objects) and the device ready on the host. */
export interface CreatedAssignment {
  inputs: GpuAssignmentInputs;
  assignmentId: string;
  ready: ReadyDevice;
  targets: string[];
  log: HostChangeLog;
  lockContainers: string[];
}

const iommuGroupsOf = ({ device }: ReadyDevice): string[] => [
  ...new Set(device.kind === 'pci' ? device.functions.map((f) => f.iommuGroup) : [device.iommuGroup]),
];

export function createdOutputs(created: CreatedAssignment): GpuAssignmentOutputs {
  const { inputs, ready, log } = created;
  const { plan } = ready;
  const primary = plan.gpu.functions[0];
  return {
    ...inputs,
    stateVersion: GPU_STATE_VERSION,
    assignmentId: created.assignmentId,
    pciAddress: plan.address,
    parentAddress: plan.parent,
    mode: plan.mode,
    vendor: plan.gpu.vendor,
    model: plan.gpu.nvidia?.name ?? `${primary.vendorId}:${primary.deviceId}`,
    targets: created.targets,
    iommuGroups: iommuGroupsOf(ready),
    resolvedMdevUuid: plan.mdev?.uuid ?? '',
    driversBefore: log.driversBefore,
    hostChanges: log.hostChanges,
    lockContainers: created.lockContainers,
    device: ready.device,
    reservation: 'reserved',
    warnings: plan.warnings,
  };
}
