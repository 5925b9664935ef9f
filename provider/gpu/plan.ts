import { createHash } from 'node:crypto';
import { romContainerPath, type PassthroughDeviceSpec } from '../../contract/passthrough';
import { describeGpus, type Gpu, type HostGpuInventory, type PciFunction } from './discover';
import { bindWrites, mdevCreateWrites, renderForHost, sriovWrites } from './host-steps';
import { normalizePciAddress, slotOf } from './pci-address';

export type GpuSelector = { pciAddress: string } | { index: number } | { uuid: string };

/** What a GpuAssignment asks of one host. */
export interface GpuRequest {
  host: string;
  select: GpuSelector;
  /** Pass this SR-IOV virtual function of the GPU instead of the whole GPU. */
  virtualFunction?: number;
  /** Pass a mediated device (vGPU) of this type made on the GPU (or on its virtual function). */
  mdevType?: string;
  /** The mediated device's UUID (default: derived from host, VM and device, stable). */
  mdevUuid?: string;
  /** The VM the GPU is for (its name on the host). */
  vm: string;
  bindVfio: boolean;
  primaryDisplay: boolean;
  /** A ROM file on the host, bind-mounted read-only into the VM's container. */
  romFile?: string;
  /** The device id inside the VM spec. */
  deviceId?: string;
}

export interface PlanFailure {
  property: string;
  reason: string;
}

export type PassthroughMode = 'whole' | 'virtual-function' | 'mdev';

export interface PassthroughPlan {
  ok: true;
  gpu: Gpu;
  mode: PassthroughMode;
  /** The device whose reservation this is: the GPU, its VF, or the mdev's parent. */
  address: string;
  /** The physical GPU the device belongs to (reservations of one parent exclude each other by mode). */
  parent: string;
  /** PCI functions that go to the VM (none for a mediated device: it is not a PCI function on the host). */
  functions: PciFunction[];
  /** Of those, the ones not on vfio-pci yet, with the driver they are on now. */
  toBind: Array<{ address: string; driver?: string }>;
  mdev?: { uuid: string; type: string; parent: string; exists: boolean; iommuGroup?: string };
  /** The exact host commands that make the host ready, when windock is not to make them (bindVfio false). */
  hostSteps: string[];
  warnings: string[];
  /** The device for the VM spec, once every group is known (an mdev's only after it exists). */
  device?: PassthroughDeviceSpec;
}

export type PlanOutcome = PassthroughPlan | { ok: false; failures: PlanFailure[] };

const fail = (property: string, reason: string): PlanOutcome => ({
  ok: false,
  failures: [{ property, reason }],
});

/** A stable mdev UUID for (host, vm, parent, type): printable at preview, the same on every run. */
export function derivedMdevUuid(host: string, vm: string, parent: string, type: string): string {
  const h = createHash('sha256').update(`windock-mdev\0${host}\0${vm}\0${parent}\0${type}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function describeFunction(fn: PciFunction): string {
  return `${fn.address} (${fn.kind}, ${fn.vendorId}:${fn.deviceId}, driver ${fn.driver ?? 'none'})`;
}

export function selectGpu(
  inventory: HostGpuInventory,
  request: Pick<GpuRequest, 'host' | 'select'>,
): { gpu: Gpu; vf?: string } | PlanFailure {
  const known = `GPUs on host "${request.host}": ${describeGpus(inventory)}`;
  const select = request.select;
  if ('pciAddress' in select) {
    const address = normalizePciAddress(select.pciAddress);
    if (!address)
      return {
        property: 'select',
        reason: `select.pciAddress: "${select.pciAddress}" is not a PCI address (like 0000:01:00.0)`,
      };
    const fn = inventory.functions.find((f) => f.address === address);
    if (!fn)
      return {
        property: 'select',
        reason: `select.pciAddress: there is no PCI device ${address} on host "${request.host}". ${known}`,
      };
    if (fn.physfn) {
      const gpu = inventory.gpus.find(
        (g) => g.address === fn.physfn || slotOf(g.address) === slotOf(fn.physfn!),
      );
      if (gpu) return { gpu, vf: address };
    }
    const gpu = inventory.gpus.find((g) => slotOf(g.address) === slotOf(address));
    if (!gpu)
      return {
        property: 'select',
        reason: `select.pciAddress: ${describeFunction(fn)} is not a GPU (PCI class ${fn.classCode}). ${known}`,
      };
    return { gpu };
  }
  if ('index' in select) {
    const gpu = inventory.gpus[select.index];
    if (!gpu)
      return {
        property: 'select',
        reason: `select.index: host "${request.host}" has ${inventory.gpus.length} GPU(s), no #${select.index}. ${known}`,
      };
    return { gpu };
  }
  if (!inventory.nvidiaSmi) {
    return {
      property: 'select',
      reason:
        `select.uuid: a UUID is what nvidia-smi reports, and nvidia-smi did not answer on host "${request.host}" (no NVIDIA driver or ` +
        'container toolkit there, or the GPU is bound to vfio-pci already, where nvidia-smi cannot see it): select by pciAddress. ' +
        known,
    };
  }
  const gpu = inventory.gpus.find((g) => g.nvidia?.uuid.toLowerCase() === select.uuid.toLowerCase());
  if (!gpu) {
    const uuids = inventory.gpus.flatMap((g) => (g.nvidia ? [`${g.nvidia.uuid} = ${g.address}`] : []));
    return {
      property: 'select',
      reason: `select.uuid: nvidia-smi on host "${request.host}" lists no GPU ${select.uuid} (it lists: ${uuids.join(', ') || 'none'})`,
    };
  }
  return { gpu };
}

/**
 * Preflight, pure: can this host give this GPU to a VM, and what must happen first? Checks, in
 * order: the selection, the IOMMU, the console GPU (boot_vga), SR-IOV / mediated device
 * availability, the whole IOMMU group, vfio-pci, and each function's driver. Every failure
 * names the field, the device and the fix; when windock is not to bind (bindVfio false), the
 * fix is the exact host commands, per function.
 */
export function planPassthrough(inventory: HostGpuInventory, request: GpuRequest): PlanOutcome {
  const host = request.host;
  const selected = selectGpu(inventory, request);
  if ('property' in selected) return { ok: false, failures: [selected] };
  const gpu = selected.gpu;
  const primary = gpu.functions[0]!;
  const deviceId = request.deviceId ?? 'gpu0';

  if (!inventory.iommuEnabled || !primary.iommuGroup) {
    return fail(
      'select',
      `host "${host}" has the IOMMU off (/sys/kernel/iommu_groups is empty${primary.iommuGroup ? '' : `, ${gpu.address} has no IOMMU group`}): ` +
        'enable VT-d (Intel) or AMD-Vi / IOMMU (AMD) in the firmware setup, add intel_iommu=on iommu=pt (Intel) or amd_iommu=on iommu=pt (AMD) ' +
        'to the kernel command line, and reboot',
    );
  }
  const console = gpu.functions.find((f) => f.bootVga);
  if (console && request.virtualFunction === undefined && request.mdevType === undefined && !selected.vf) {
    return fail(
      'select',
      `${console.address} is host "${host}"'s console GPU (boot_vga=1: the firmware and the host's console display on it); passing it ` +
        "through takes the host's display away and often hangs the host: choose another GPU, or make another GPU the boot display in the firmware setup",
    );
  }

  const failures: PlanFailure[] = [];
  const warnings: string[] = [];
  const writes: string[] = [];
  let mode: PassthroughMode = 'whole';
  let functions: PciFunction[] = gpu.functions;
  let address = gpu.address;

  // SR-IOV: a virtual function by index, or one named directly by its address.
  const vfAddress =
    selected.vf ??
    (request.virtualFunction !== undefined
      ? primary.sriov?.virtualFunctions[request.virtualFunction]
      : undefined);
  if (request.virtualFunction !== undefined || selected.vf) {
    mode = 'virtual-function';
    if (!selected.vf && !primary.sriov) {
      return fail(
        'virtualFunction',
        `virtualFunction: GPU ${gpu.address} on host "${host}" has no SR-IOV (no sriov_totalvfs): pass the whole GPU (leave virtualFunction out)`,
      );
    }
    if (!vfAddress) {
      const sriov = primary.sriov!;
      const wanted = request.virtualFunction! + 1;
      if (wanted > sriov.total) {
        return fail(
          'virtualFunction',
          `virtualFunction: GPU ${gpu.address} offers ${sriov.total} virtual functions (0-${sriov.total - 1}), not #${request.virtualFunction}`,
        );
      }
      return fail(
        'virtualFunction',
        `virtualFunction: GPU ${gpu.address} has ${sriov.enabled} virtual functions enabled, #${request.virtualFunction} needs ${wanted}. ` +
          `Enable them on host "${host}" (as root; the count can only change from 0): ${renderForHost(sriovWrites(gpu.address, wanted)).join('; ')}` +
          (sriov.enabled > 0
            ? ` (first: echo 0 > /sys/bus/pci/devices/${gpu.address}/sriov_numvfs, which removes the ${sriov.enabled} enabled ones)`
            : ''),
      );
    }
    const vf = inventory.functions.find((f) => f.address === vfAddress);
    if (!vf)
      return fail(
        'virtualFunction',
        `virtualFunction: ${vfAddress} is listed by ${gpu.address} but not on the PCI bus of host "${host}"`,
      );
    functions = [vf];
    address = vf.address;
  }

  let mdev: PassthroughPlan['mdev'];
  if (request.mdevType !== undefined) {
    const parentFn = functions[0]!;
    mode = 'mdev';
    const type = parentFn.mdevTypes.find((t) => t.id === request.mdevType || t.name === request.mdevType);
    if (!type) {
      const offered = parentFn.mdevTypes.map(
        (t) => `${t.id}${t.name ? ` (${t.name}, ${t.availableInstances} free)` : ''}`,
      );
      return fail(
        'mdevType',
        offered.length > 0
          ? `mdevType: ${parentFn.address} on host "${host}" offers no type "${request.mdevType}"; it offers: ${offered.join(', ')}`
          : `mdevType: ${parentFn.address} on host "${host}" offers no mediated devices (no mdev_supported_types; it is not under /sys/class/mdev_bus): ` +
              "install and load the vendor's vGPU host driver (NVIDIA vGPU, Intel GVT-g with i915.enable_gvt=1, ...), or enable SR-IOV and pass a virtualFunction",
      );
    }
    const uuid = (
      request.mdevUuid ?? derivedMdevUuid(host, request.vm, parentFn.address, type.id)
    ).toLowerCase();
    const existing = inventory.mdevs.find((m) => m.uuid === uuid);
    if (existing && existing.type !== type.id) {
      return fail(
        'mdevUuid',
        `mdevUuid: mediated device ${uuid} exists on host "${host}" with type ${existing.type}, not ${type.id}: choose another mdevUuid`,
      );
    }
    if (!existing && type.availableInstances < 1) {
      return fail(
        'mdevType',
        `mdevType: ${parentFn.address} on host "${host}" has no free instance of ${type.id} (available_instances is 0; in use: ${type.instances.join(', ') || 'none listed'})`,
      );
    }
    mdev = {
      uuid,
      type: type.id,
      parent: parentFn.address,
      exists: Boolean(existing),
      iommuGroup: existing?.iommuGroup,
    };
    if (!existing) writes.push(...renderForHost(mdevCreateWrites(parentFn.address, type.id, uuid)));
    address = parentFn.address;
  }

  // The whole IOMMU group goes to the VM, or nothing does: other endpoints in it block passthrough.
  if (mode !== 'mdev') {
    const passed = new Set(functions.map((f) => f.address));
    for (const group of [...new Set(functions.map((f) => f.iommuGroup ?? ''))]) {
      if (!group) {
        failures.push({
          property: 'select',
          reason: `${functions.find((f) => !f.iommuGroup)!.address} has no IOMMU group on host "${host}": the IOMMU does not cover it`,
        });
        continue;
      }
      const others = (inventory.groups[group] ?? [])
        .filter((a) => !passed.has(a))
        .map((a) => inventory.functions.find((f) => f.address === a))
        .filter((f): f is PciFunction => Boolean(f) && f!.kind !== 'bridge');
      if (others.length > 0) {
        failures.push({
          property: 'select',
          reason:
            `IOMMU group ${group} of ${address} on host "${host}" also holds ${others.map(describeFunction).join(', ')}, which ` +
            'would have to go to the same VM: a group passes whole. Move the GPU to another slot (one whose group holds only it), or ' +
            'enable ACS in the firmware setup',
        });
      }
    }
  }

  const toBind =
    mode === 'mdev'
      ? []
      : functions
          .filter((f) => f.driver !== 'vfio-pci')
          .map((f) => ({ address: f.address, driver: f.driver }));
  if (toBind.length > 0 && !inventory.vfioPciLoaded) writes.unshift('modprobe vfio-pci');
  for (const fn of toBind) writes.push(...renderForHost(bindWrites(fn.address)));
  for (const fn of functions) {
    if (fn.driverOverride && fn.driverOverride !== 'vfio-pci')
      warnings.push(
        `${fn.address} has driver_override "${fn.driverOverride}"; windock's binding replaces it`,
      );
    if (fn.driver === 'nvidia' && toBind.some((t) => t.address === fn.address)) {
      warnings.push(
        `${fn.address} is on the nvidia driver: stop what uses it (nvidia-persistenced, a display server, containers with --gpus) or unbinding waits for them`,
      );
    }
  }

  if (!request.bindVfio && writes.length > 0) {
    const what =
      mode === 'mdev'
        ? `mediated device ${mdev!.uuid} (${mdev!.type}) does not exist on ${mdev!.parent}`
        : `${toBind.map((f) => `${f.address} is on ${f.driver ?? 'no driver'}`).join(', ')}, not vfio-pci`;
    failures.push({
      property: 'bindVfio',
      reason:
        `host "${host}" is not ready: ${what}. Run as root on the host:\n  ${writes.join('\n  ')}\n` +
        `or set bindVfio: true to let windock do it through a short-lived helper container (undone when the assignment is deleted)`,
    });
  } else if (toBind.length > 0 && !inventory.vfioPciLoaded) {
    failures.push({
      property: 'bindVfio',
      reason: `vfio-pci is not loaded on host "${host}": run \`modprobe vfio-pci\` there as root (and list it in /etc/modules-load.d/ to keep it)`,
    });
  }
  if (failures.length > 0) return { ok: false, failures };

  let device: PassthroughDeviceSpec | undefined;
  if (mode === 'mdev') {
    if (mdev!.iommuGroup)
      device = {
        kind: 'mdev',
        id: deviceId,
        uuid: mdev!.uuid,
        iommuGroup: mdev!.iommuGroup,
        primaryDisplay: request.primaryDisplay,
      };
  } else {
    device = {
      kind: 'pci',
      id: deviceId,
      functions: functions.map((f) => ({ address: f.address, iommuGroup: f.iommuGroup! })),
      ...(request.romFile ? { rom: { hostFile: request.romFile, file: romContainerPath(deviceId) } } : {}),
      primaryDisplay: request.primaryDisplay,
    };
  }
  return {
    ok: true,
    gpu,
    mode,
    address,
    parent: gpu.address,
    functions,
    toBind,
    mdev,
    hostSteps: writes,
    warnings,
    device,
  };
}
