import { inspectContainer } from '../../docker/containers';
import type { DockerEngine } from '../../docker/engine';
import { GPU_LABELS } from '../../gpu/reservation';
import { devicesSpec, passthroughDeviceSpec, type DevicesSpec } from '../../../contract/passthrough';

/** The record container of one assignment: what WindowsVm reads to put the device in its spec. */
export function recordNameFor(assignmentId: string): string {
  return `windock-gpu-assignment-${assignmentId}`;
}

/**
 * WindowsVm side (at launch, on the VM's host): the devices of the GPU assignment `gpu`, if it
 * is reserved on this host for this VM. Throws, naming the field and the fix, otherwise.
 */
export async function gpuDevicesFor(
  docker: DockerEngine,
  assignmentId: string,
  vmName: string,
  hostName: string,
): Promise<DevicesSpec> {
  const record = await inspectContainer(docker, recordNameFor(assignmentId));
  if (!record)
    throw new Error(
      `gpu: GPU assignment ${assignmentId} holds no reservation on host "${hostName}" (deleted, lost to a \`docker container prune\`, or made for another host): ` +
        'run `pulumi up` again to take it again, or give the VM a GpuAssignment on its own host',
    );
  const labels = record.Config.Labels ?? {};
  if (labels[GPU_LABELS.vm] !== vmName) {
    throw new Error(
      `gpu: GPU assignment ${assignmentId} is for VM "${labels[GPU_LABELS.vm]}", not "${vmName}": a GPU goes to one VM; make another GpuAssignment with vm: "${vmName}"`,
    );
  }
  const device = passthroughDeviceSpec.parse(JSON.parse(labels[GPU_LABELS.device] ?? 'null'));
  return devicesSpec.parse({ pci: [device] });
}

/** WindowsVm check, pure: what cannot go with a GPU. Undefined when fine. */
export function gpuInputRefusal(vm: {
  gpu?: string;
  accelerator: string;
}): { property: string; reason: string } | undefined {
  if (vm.gpu && vm.accelerator === 'tcg') {
    return {
      property: 'accelerator',
      reason:
        'accelerator: a passed-through GPU needs KVM (VFIO maps guest memory for the device): set accelerator to "kvm" or "auto"',
    };
  }
  return undefined;
}
