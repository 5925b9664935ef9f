import { describeGpus, type Gpu, type HostGpuInventory, type PciFunction } from '../discover';
import { normalizePciAddress, slotOf } from '../pci-address';
import type { GpuRequest, GpuSelector, PlanFailure } from './types';

type Selection = { gpu: Gpu; vf?: string } | PlanFailure;

export function describeFunction(fn: PciFunction): string {
  return `${fn.address} (${fn.kind}, ${fn.vendorId}:${fn.deviceId}, driver ${fn.driver ?? 'none'})`;
}

const knownGpus = (inventory: HostGpuInventory, host: string) =>
  `GPUs on host "${host}": ${describeGpus(inventory)}`;

/** The GPU a PCI address names: the GPU itself, one of its other functions, or one of its VFs. */
function selectByAddress(inventory: HostGpuInventory, host: string, text: string): Selection {
  const address = normalizePciAddress(text);
  if (!address)
    return {
      property: 'select',
      reason: `select.pciAddress: "${text}" is not a PCI address (like 0000:01:00.0)`,
    };
  const fn = inventory.functions.find((f) => f.address === address);
  if (!fn)
    return {
      property: 'select',
      reason: `select.pciAddress: there is no PCI device ${address} on host "${host}". ${knownGpus(inventory, host)}`,
    };
  const physfn = fn.physfn;
  if (physfn) {
    const gpu = inventory.gpus.find((g) => g.address === physfn || slotOf(g.address) === slotOf(physfn));
    if (gpu) return { gpu, vf: address };
  }
  const gpu = inventory.gpus.find((g) => slotOf(g.address) === slotOf(address));
  if (!gpu)
    return {
      property: 'select',
      reason: `select.pciAddress: ${describeFunction(fn)} is not a GPU (PCI class ${fn.classCode}). ${knownGpus(inventory, host)}`,
    };
  return { gpu };
}

function selectByIndex(inventory: HostGpuInventory, host: string, index: number): Selection {
  const gpu = inventory.gpus[index];
  if (!gpu)
    return {
      property: 'select',
      reason: `select.index: host "${host}" has ${inventory.gpus.length} GPU(s), no #${index}. ${knownGpus(inventory, host)}`,
    };
  return { gpu };
}

function selectByUuid(inventory: HostGpuInventory, host: string, uuid: string): Selection {
  if (!inventory.nvidiaSmi) {
    return {
      property: 'select',
      reason:
        `select.uuid: a UUID is what nvidia-smi reports, and nvidia-smi did not answer on host "${host}" (no NVIDIA driver or ` +
        'container toolkit there, or the GPU is bound to vfio-pci already, where nvidia-smi cannot see it): select by pciAddress. ' +
        knownGpus(inventory, host),
    };
  }
  const gpu = inventory.gpus.find((g) => g.nvidia?.uuid.toLowerCase() === uuid.toLowerCase());
  if (!gpu) {
    const uuids = inventory.gpus.flatMap((g) => (g.nvidia ? [`${g.nvidia.uuid} = ${g.address}`] : []));
    return {
      property: 'select',
      reason: `select.uuid: nvidia-smi on host "${host}" lists no GPU ${uuid} (it lists: ${uuids.join(', ') || 'none'})`,
    };
  }
  return { gpu };
}

export function selectGpu(
  inventory: HostGpuInventory,
  request: Pick<GpuRequest, 'host' | 'select'>,
): Selection {
  const select: GpuSelector = request.select;
  if ('pciAddress' in select) return selectByAddress(inventory, request.host, select.pciAddress);
  if ('index' in select) return selectByIndex(inventory, request.host, select.index);
  return selectByUuid(inventory, request.host, select.uuid);
}
