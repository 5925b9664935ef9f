import type { PlanContext, PlanFailure } from './types';

function iommuOff({ inventory, request, gpu }: PlanContext): PlanFailure | undefined {
  const group = gpu.functions[0]?.iommuGroup;
  if (inventory.iommuEnabled && group) return undefined;
  return {
    property: 'select',
    reason:
      `host "${request.host}" has the IOMMU off (/sys/kernel/iommu_groups is empty${group ? '' : `, ${gpu.address} has no IOMMU group`}): ` +
      'enable VT-d (Intel) or AMD-Vi / IOMMU (AMD) in the firmware setup, add intel_iommu=on iommu=pt (Intel) or amd_iommu=on iommu=pt (AMD) ' +
      'to the kernel command line, and reboot',
  };
}

/** Only the whole GPU takes the host's display with it: a VF or an mdev of the console GPU is fine. */
function consoleGpu({ request, gpu }: PlanContext, wholeGpu: boolean): PlanFailure | undefined {
  const console = gpu.functions.find((f) => f.bootVga);
  if (!console || !wholeGpu) return undefined;
  return {
    property: 'select',
    reason:
      `${console.address} is host "${request.host}"'s console GPU (boot_vga=1: the firmware and the host's console display on it); passing it ` +
      "through takes the host's display away and often hangs the host: choose another GPU, or make another GPU the boot display in the firmware setup",
  };
}

/** What refuses any passthrough of this GPU on this host, whatever the mode. */
export function hostRefusal(context: PlanContext, wholeGpu: boolean): PlanFailure | undefined {
  return iommuOff(context) ?? consoleGpu(context, wholeGpu);
}
