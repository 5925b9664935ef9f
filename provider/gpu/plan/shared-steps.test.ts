import type { HostGpuInventory, PciFunction } from '../discover';
import { bindStep, bindWarnings, readinessFailure } from './bind';
import { iommuGroupFailures } from './iommu-group';
import type { GpuRequest, PlanContext } from './types';

/** A SYNTHETIC PCI function (no sysfs needed for these pure steps). */
const fn = (address: string, over: Partial<PciFunction> = {}): PciFunction => ({
  address,
  vendorId: '0x10de',
  deviceId: '0x2206',
  classCode: '0x030000',
  kind: 'vga',
  vendor: 'nvidia',
  driver: 'nvidia',
  iommuGroup: '14',
  bootVga: false,
  mdevTypes: [],
  ...over,
});

function groupsOf(functions: PciFunction[]): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const f of functions) if (f.iommuGroup) (groups[f.iommuGroup] ??= []).push(f.address);
  return groups;
}

const inventoryOf = (functions: PciFunction[], over: Partial<HostGpuInventory> = {}): HostGpuInventory => ({
  iommuEnabled: true,
  vfioPciLoaded: true,
  functions,
  gpus: [],
  groups: groupsOf(functions),
  mdevs: [],
  nvidiaSmi: false,
  ...over,
});

const contextOf = (inventory: HostGpuInventory, over: Partial<GpuRequest> = {}): PlanContext => ({
  inventory,
  request: { host: 'lab-1', vm: 'vm', select: { index: 0 }, bindVfio: false, primaryDisplay: false, ...over },
  gpu: { index: 0, address: '0000:01:00.0', vendor: 'nvidia', functions: [], groupMembers: [] },
  deviceId: 'gpu0',
});

describe('the IOMMU-group and bind steps whole GPUs and virtual functions share (synthetic functions)', () => {
  it('names the first function without an IOMMU group, once, in the functions order (synthetic)', () => {
    const functions = [
      fn('0000:01:00.0', { iommuGroup: undefined }),
      fn('0000:01:00.1', { iommuGroup: undefined }),
    ];
    expect(iommuGroupFailures(contextOf(inventoryOf(functions)), functions, '0000:01:00.0')).toEqual([
      {
        property: 'select',
        reason: '0000:01:00.0 has no IOMMU group on host "lab-1": the IOMMU does not cover it',
      },
    ]);
  });

  it('ignores bridges and the passed functions in the group, names other endpoints (synthetic)', () => {
    const gpu = fn('0000:01:00.0');
    const bridge = fn('0000:00:01.0', { kind: 'bridge', classCode: '0x060400' });
    const nic = fn('0000:04:00.0', {
      kind: 'other',
      vendorId: '0x8086',
      deviceId: '0x15b8',
      driver: 'e1000e',
    });
    expect(iommuGroupFailures(contextOf(inventoryOf([gpu, bridge])), [gpu], gpu.address)).toEqual([]);
    const [failure] = iommuGroupFailures(contextOf(inventoryOf([gpu, bridge, nic])), [gpu], gpu.address);
    expect(failure?.reason).toMatch(
      /^IOMMU group 14 of 0000:01:00.0 on host "lab-1" also holds 0000:04:00.0 \(other/,
    );
  });

  it('binds only what is not on vfio-pci, after modprobe when vfio-pci is not loaded (synthetic)', () => {
    const onVfio = fn('0000:01:00.1', { driver: 'vfio-pci' });
    const functions = [fn('0000:01:00.0'), onVfio];
    const loaded = bindStep(inventoryOf(functions), functions);
    expect(loaded.toBind).toEqual([{ address: '0000:01:00.0', driver: 'nvidia' }]);
    expect(loaded.hostSteps[0]).toBe('echo vfio-pci > /sys/bus/pci/devices/0000:01:00.0/driver_override');
    const unloaded = bindStep(inventoryOf(functions, { vfioPciLoaded: false }), functions);
    expect(unloaded.hostSteps[0]).toBe('modprobe vfio-pci');
    expect(bindStep(inventoryOf([]), [onVfio]).hostSteps).toEqual([]);
  });

  it('warns about a driver_override it replaces and about the nvidia driver it unbinds (synthetic)', () => {
    const functions = [
      fn('0000:01:00.0', { driverOverride: 'nouveau' }),
      fn('0000:01:00.1', { driver: 'vfio-pci' }),
    ];
    expect(bindWarnings(functions, [{ address: '0000:01:00.0', driver: 'nvidia' }])).toEqual([
      '0000:01:00.0 has driver_override "nouveau"; windock\'s binding replaces it',
      '0000:01:00.0 is on the nvidia driver: stop what uses it (nvidia-persistenced, a display server, containers with --gpus) or unbinding waits for them',
    ]);
    expect(bindWarnings(functions, [])).toHaveLength(1);
  });

  it('is ready with bindVfio and vfio-pci loaded, else says what to run (synthetic)', () => {
    const toBind = [{ address: '0000:01:00.0', driver: 'nvidia' }];
    const inventory = inventoryOf([]);
    expect(readinessFailure(contextOf(inventory, { bindVfio: true }), ['x'], toBind, 'u')).toBeUndefined();
    expect(readinessFailure(contextOf(inventory), [], [], 'u')).toBeUndefined();
    expect(readinessFailure(contextOf(inventory), ['step 1', 'step 2'], toBind, 'it is off')?.reason).toBe(
      'host "lab-1" is not ready: it is off. Run as root on the host:\n  step 1\n  step 2\n' +
        'or set bindVfio: true to let windock do it through a short-lived helper container (undone when the assignment is deleted)',
    );
    const unloaded = contextOf(inventoryOf([], { vfioPciLoaded: false }), { bindVfio: true });
    expect(readinessFailure(unloaded, ['modprobe vfio-pci'], toBind, 'u')?.reason).toMatch(
      /^vfio-pci is not loaded on host "lab-1"/,
    );
  });
});
