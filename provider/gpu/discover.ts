import { compareAddresses, normalizePciAddress, slotOf } from './pci-address';
import type { NvidiaSmiGpu } from './nvidia-smi';
import type { SysfsSource } from './sysfs-source';

export type GpuVendor = 'nvidia' | 'amd' | 'intel' | 'other';

const VENDORS: Record<string, GpuVendor> = {
  '0x10de': 'nvidia',
  '0x1002': 'amd',
  '0x1022': 'amd',
  '0x8086': 'intel',
};

export interface MdevType {
  /** The type's directory name ("nvidia-63", "i915-GVTg_V5_4"): what `mdevType` selects. */
  id: string;
  name?: string;
  availableInstances: number;
  deviceApi?: string;
  description?: string;
  /** UUIDs of existing mediated devices of this type. */
  instances: string[];
}

export interface PciFunction {
  address: string;
  vendorId: string;
  deviceId: string;
  /** "0x030000": base class 03 = display, 04 = multimedia (audio), 06 = bridge. */
  classCode: string;
  kind: 'vga' | '3d' | 'display' | 'audio' | 'usb' | 'serial-bus' | 'bridge' | 'other';
  vendor: GpuVendor;
  /** The bound driver ("nvidia", "amdgpu", "i915", "vfio-pci"); undefined when none. */
  driver?: string;
  driverOverride?: string;
  iommuGroup?: string;
  /** The firmware's boot display: the host's console runs on it. */
  bootVga: boolean;
  /** An SR-IOV virtual function: its physical function's address. */
  physfn?: string;
  /** An SR-IOV physical function: total and enabled virtual functions and their addresses (by index). */
  sriov?: { total: number; enabled: number; virtualFunctions: string[] };
  mdevTypes: MdevType[];
}

export interface Gpu {
  /** Position among the host's physical GPUs in PCI address order (as lspci lists them). */
  index: number;
  address: string;
  vendor: GpuVendor;
  /** The functions of the device, function 0 first (the GPU, its HDMI audio, USB-C, ...). */
  functions: PciFunction[];
  /** Other devices in the GPU's IOMMU group (they can only go to the same VM, or stay unused). */
  groupMembers: PciFunction[];
  nvidia?: NvidiaSmiGpu;
}

export interface ExistingMdev {
  uuid: string;
  parent: string;
  type: string;
  iommuGroup?: string;
}

export interface HostGpuInventory {
  /** IOMMU groups exist: the IOMMU is on (VT-d / AMD-Vi enabled and not disabled on the kernel command line). */
  iommuEnabled: boolean;
  /** The vfio-pci driver is registered (module loaded or built in). */
  vfioPciLoaded: boolean;
  functions: PciFunction[];
  gpus: Gpu[];
  /** IOMMU groups by number, with their member PCI addresses. */
  groups: Record<string, string[]>;
  mdevs: ExistingMdev[];
  /** Whether nvidia-smi answered on the host (its data is in each NVIDIA GPU's `nvidia`). */
  nvidiaSmi: boolean;
}

const basename = (path: string | undefined): string | undefined =>
  path ? path.split('/').filter(Boolean).pop() : undefined;

function kindOf(classCode: string): PciFunction['kind'] {
  const base = classCode.slice(2, 4);
  const sub = classCode.slice(4, 6);
  if (base === '03') return sub === '00' ? 'vga' : sub === '02' ? '3d' : 'display';
  if (base === '04') return sub === '03' || sub === '01' ? 'audio' : 'other';
  if (base === '0c') return sub === '03' ? 'usb' : 'serial-bus';
  if (base === '06') return 'bridge';
  return 'other';
}

function readFunction(sys: SysfsSource, address: string): PciFunction {
  const dir = `bus/pci/devices/${address}`;
  const classCode = (sys.read(`${dir}/class`) ?? '0x000000').toLowerCase().padEnd(8, '0').slice(0, 8);
  const vendorId = (sys.read(`${dir}/vendor`) ?? '0x0000').toLowerCase();
  const entries = sys.list(dir) ?? [];
  const virtfns = entries
    .filter((e) => /^virtfn\d+$/.test(e))
    .sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)))
    .map((e) => normalizePciAddress(basename(sys.link(`${dir}/${e}`)) ?? ''))
    .filter((a): a is string => Boolean(a));
  const total = sys.read(`${dir}/sriov_totalvfs`);
  const override = sys.read(`${dir}/driver_override`);
  const typesDir = `${dir}/mdev_supported_types`;
  const mdevTypes: MdevType[] = (sys.list(typesDir) ?? []).map((id) => ({
    id,
    name: sys.read(`${typesDir}/${id}/name`),
    availableInstances: Number(sys.read(`${typesDir}/${id}/available_instances`) ?? 0),
    deviceApi: sys.read(`${typesDir}/${id}/device_api`),
    description: sys.read(`${typesDir}/${id}/description`),
    instances: sys.list(`${typesDir}/${id}/devices`) ?? [],
  }));
  return {
    address,
    vendorId,
    deviceId: (sys.read(`${dir}/device`) ?? '0x0000').toLowerCase(),
    classCode,
    kind: kindOf(classCode),
    vendor: VENDORS[vendorId] ?? 'other',
    driver: basename(sys.link(`${dir}/driver`)),
    driverOverride: override && override !== '(null)' ? override : undefined,
    iommuGroup: basename(sys.link(`${dir}/iommu_group`)),
    bootVga: sys.read(`${dir}/boot_vga`) === '1',
    physfn: normalizePciAddress(basename(sys.link(`${dir}/physfn`)) ?? ''),
    sriov:
      total !== undefined
        ? {
            total: Number(total),
            enabled: Number(sys.read(`${dir}/sriov_numvfs`) ?? 0),
            virtualFunctions: virtfns,
          }
        : undefined,
    mdevTypes,
  };
}

/**
 * The host's GPUs as sysfs shows them: every display-class PCI device (NVIDIA, AMD, Intel or
 * other), its functions, driver, IOMMU group and the group's other members, SR-IOV virtual
 * functions and mediated device types. nvidia-smi's view (UUID, name) joins by PCI address.
 */
export function discoverGpus(sys: SysfsSource, nvidia?: NvidiaSmiGpu[]): HostGpuInventory {
  const addresses = (sys.list('bus/pci/devices') ?? [])
    .filter((a) => normalizePciAddress(a) === a)
    .sort(compareAddresses);
  const functions = addresses.map((a) => readFunction(sys, a));
  const byAddress = new Map(functions.map((f) => [f.address, f]));

  const groups: Record<string, string[]> = {};
  for (const group of sys.list('kernel/iommu_groups') ?? []) {
    groups[group] = (sys.list(`kernel/iommu_groups/${group}/devices`) ?? [])
      .filter((a) => normalizePciAddress(a) === a)
      .sort(compareAddresses);
  }
  const physical = functions
    .filter((f) => f.kind === 'vga' || f.kind === '3d' || f.kind === 'display')
    .filter((f) => !f.physfn);
  // One entry per device (a GPU with two display functions is still one GPU), function 0 first.
  const slots = [...new Set(physical.map((f) => slotOf(f.address)))];
  const gpus: Gpu[] = slots.map((slot, index) => {
    const own = functions.filter((f) => slotOf(f.address) === slot && !f.physfn);
    const primary = own.find((f) => f.kind === 'vga' || f.kind === '3d' || f.kind === 'display')!;
    const ownSet = new Set(own.map((f) => f.address));
    const members = (primary.iommuGroup ? (groups[primary.iommuGroup] ?? []) : [])
      .filter((a) => !ownSet.has(a))
      .map(
        (a) =>
          byAddress.get(a) ??
          ({
            address: a,
            kind: 'other',
            vendor: 'other',
            vendorId: '',
            deviceId: '',
            classCode: '',
            bootVga: false,
            mdevTypes: [],
          } as PciFunction),
      );
    return {
      index,
      address: primary.address,
      vendor: primary.vendor,
      functions: own,
      groupMembers: members,
      nvidia: nvidia?.find((n) => n.pciAddress === primary.address),
    };
  });

  const mdevs: ExistingMdev[] = (sys.list('bus/mdev/devices') ?? []).map((uuid) => {
    const target = sys.link(`bus/mdev/devices/${uuid}`) ?? '';
    const parts = target.split('/').filter(Boolean);
    return {
      uuid,
      parent: normalizePciAddress(parts[parts.length - 2] ?? '') ?? parts[parts.length - 2] ?? '',
      type: basename(sys.link(`bus/mdev/devices/${uuid}/mdev_type`)) ?? '',
      iommuGroup: basename(sys.link(`bus/mdev/devices/${uuid}/iommu_group`)),
    };
  });

  return {
    iommuEnabled: Object.keys(groups).length > 0,
    vfioPciLoaded: (sys.list('bus/pci/drivers') ?? []).includes('vfio-pci'),
    functions,
    gpus,
    groups,
    mdevs,
    nvidiaSmi: nvidia !== undefined,
  };
}

/** One line per GPU, for messages: "0 0000:01:00.0 nvidia 0x10de:0x2204 (driver nvidia, group 14)". */
export function describeGpus(inventory: HostGpuInventory): string {
  if (inventory.gpus.length === 0) return 'no GPU (no PCI display controller)';
  return inventory.gpus
    .map((g) => {
      const fn = g.functions[0]!;
      const name = g.nvidia?.name ? ` ${g.nvidia.name}` : '';
      return `#${g.index} ${g.address} ${g.vendor}${name} ${fn.vendorId}:${fn.deviceId} (driver ${fn.driver ?? 'none'}, IOMMU group ${fn.iommuGroup ?? 'none'})`;
    })
    .join('; ');
}
