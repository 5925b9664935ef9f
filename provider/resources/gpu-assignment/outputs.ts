import type { PassthroughDeviceSpec } from '../../spec/passthrough';
import type { GpuAssignmentInputs } from './inputs';

export const GPU_STATE_VERSION = 1;

export interface GpuAssignmentComputed {
  stateVersion: number;
  /** The id WindowsVm's `gpu` takes. */
  assignmentId: string;
  /** The reserved device: the GPU, its virtual function, or the mediated device's parent. */
  pciAddress: string;
  /** The physical GPU. */
  parentAddress: string;
  mode: string;
  vendor: string;
  model: string;
  /** What is locked on the host: PCI functions, or the mediated device's UUID. */
  targets: string[];
  iommuGroups: string[];
  resolvedMdevUuid: string;
  /** Drivers the functions were on before windock bound them to vfio-pci (restored on delete). */
  driversBefore: Record<string, string>;
  /** What windock changed on the host (bound functions, a created mdev), undone on delete. */
  hostChanges: string[];
  lockContainers: string[];
  /** The device as the VM spec receives it. */
  device: PassthroughDeviceSpec | null;
  /** "reserved", or "lost" when refresh found the lock gone (the next up takes it again). */
  reservation: string;
  warnings: string[];
}

export type GpuAssignmentOutputs = GpuAssignmentInputs & GpuAssignmentComputed;

const COMPUTED: Array<keyof GpuAssignmentComputed> = [
  'stateVersion',
  'assignmentId',
  'pciAddress',
  'parentAddress',
  'mode',
  'vendor',
  'model',
  'targets',
  'iommuGroups',
  'resolvedMdevUuid',
  'driversBefore',
  'hostChanges',
  'lockContainers',
  'device',
  'reservation',
  'warnings',
];

export function gpuInputsOf(values: Record<string, unknown>): Record<string, unknown> {
  const inputs = { ...values };
  for (const key of COMPUTED) delete inputs[key];
  delete inputs.__provider;
  return inputs;
}
