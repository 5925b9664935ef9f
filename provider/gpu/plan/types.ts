import type { PassthroughDeviceSpec } from '../../../contract/passthrough';
import type { Gpu, HostGpuInventory, PciFunction } from '../discover';

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

/** A function that is not on vfio-pci yet, with the driver it is on now. */
export interface FunctionToBind {
  address: string;
  driver?: string;
}

export interface PlannedMdev {
  uuid: string;
  type: string;
  parent: string;
  exists: boolean;
  iommuGroup?: string;
}

export interface PassthroughPlan {
  ok: true;
  gpu: Gpu;
  mode: PassthroughMode;
  /** The device whose reservation this is: the GPU, its VF, or the mdev's parent. */
  address: string;
  /** The physical GPU the device belongs to (reservations of one parent exclude each other by mode). */
  parent: string;
  /**
   * PCI functions that go to the VM. For a mediated device (not a PCI function on the host):
   * the functions it is made on (the GPU's, or its virtual function).
   */
  functions: PciFunction[];
  /** Of those, the ones not on vfio-pci yet, with the driver they are on now. */
  toBind: FunctionToBind[];
  mdev?: PlannedMdev;
  /** The exact host commands that make the host ready, when windock is not to make them (bindVfio false). */
  hostSteps: string[];
  warnings: string[];
  /** The device for the VM spec, once every group is known (an mdev's only after it exists). */
  device?: PassthroughDeviceSpec;
}

export type PlanOutcome = PassthroughPlan | { ok: false; failures: PlanFailure[] };

/** A virtual function as asked for: named by its own address, or by its index on the GPU. */
export type VirtualFunctionChoice = { address: string } | { index: number };

/** What one mode's planner works from: the host, the request, and the GPU it selects. */
export interface PlanContext {
  inventory: HostGpuInventory;
  request: GpuRequest;
  gpu: Gpu;
  deviceId: string;
}

export const refused = (failure: PlanFailure): PlanOutcome => ({ ok: false, failures: [failure] });

export const isFailure = <T extends object>(value: T | PlanFailure): value is PlanFailure =>
  'property' in value && 'reason' in value;
