import { normalizePciAddress } from './pci-address';

/** What nvidia-smi says about one GPU. It lists only GPUs bound to the nvidia driver. */
export interface NvidiaSmiGpu {
  index: number;
  uuid: string;
  pciAddress: string;
  name: string;
  driverVersion?: string;
  memoryMiB?: number;
}

/** The query the helper runs (CSV, no header, no units): the columns parseNvidiaSmi reads. */
export const NVIDIA_SMI_ARGS = [
  '--query-gpu=index,uuid,pci.bus_id,name,driver_version,memory.total',
  '--format=csv,noheader,nounits',
];

/**
 * Parses `nvidia-smi --query-gpu=index,uuid,pci.bus_id,name,driver_version,memory.total
 * --format=csv,noheader,nounits`. Lines that are not GPU rows (warnings, "No devices were
 * found") are skipped.
 */
export function parseNvidiaSmi(text: string): NvidiaSmiGpu[] {
  const gpus: NvidiaSmiGpu[] = [];
  for (const line of text.split(/\r?\n/)) {
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length < 4 || !/^\d+$/.test(cells[0]!)) continue;
    const [index, uuid, busId, ...rest] = cells;
    // A name may contain commas: the last two cells are the driver version and the memory.
    const memory = rest.length >= 3 ? Number(rest[rest.length - 1]) : NaN;
    const driverVersion = rest.length >= 3 ? rest[rest.length - 2] : undefined;
    const name = (rest.length >= 3 ? rest.slice(0, -2) : rest).join(', ');
    const pciAddress = normalizePciAddress(busId!);
    if (!pciAddress || !/^(GPU|MIG)-/.test(uuid!)) continue;
    gpus.push({
      index: Number(index),
      uuid: uuid!,
      pciAddress,
      name,
      driverVersion: driverVersion && driverVersion !== '[N/A]' ? driverVersion : undefined,
      memoryMiB: Number.isFinite(memory) ? memory : undefined,
    });
  }
  return gpus;
}
