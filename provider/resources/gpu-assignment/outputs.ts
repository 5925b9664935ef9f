import { z } from 'zod';
import { inputsWithout } from '../common/inputs-of';
import { passthroughDeviceSpec } from '../../../contract/passthrough';
import type { GpuAssignmentInputs } from './inputs';

export const GPU_STATE_VERSION = 1;

export const gpuAssignmentComputed = z.object({
  stateVersion: z.number().int().describe('Version of the state shape.'),
  assignmentId: z.string().describe("The id WindowsVm's gpu input takes."),
  pciAddress: z
    .string()
    .describe("The reserved device: the GPU, its virtual function, or the mediated device's parent."),
  parentAddress: z.string().describe('The physical GPU.'),
  mode: z.string().describe('whole GPU, virtual function or mediated device.'),
  vendor: z.string().describe('NVIDIA, AMD, Intel or the PCI vendor id.'),
  model: z.string().describe('The model, from nvidia-smi or the PCI ids.'),
  targets: z
    .array(z.string())
    .describe("What is locked on the host: PCI functions, or the mediated device's UUID."),
  iommuGroups: z.array(z.string()).describe('IOMMU groups of the passed functions.'),
  resolvedMdevUuid: z.string().describe("The mediated device's UUID, when one is used."),
  driversBefore: z
    .record(z.string(), z.string())
    .describe('Drivers the functions were on before windock bound them to vfio-pci (restored on delete).'),
  hostChanges: z.array(z.string()).describe('What windock changed on the host, undone on delete.'),
  lockContainers: z
    .array(z.string())
    .describe('The lock objects on the host that make the reservation exclusive.'),
  device: passthroughDeviceSpec.nullable().describe('The device as the VM spec receives it.'),
  reservation: z
    .string()
    .describe('"reserved", or "lost" when refresh found the lock gone (the next up takes it again).'),
  warnings: z.array(z.string()).describe('Warnings from preflight.'),
});
export type GpuAssignmentComputed = z.infer<typeof gpuAssignmentComputed>;

export type GpuAssignmentOutputs = GpuAssignmentInputs & GpuAssignmentComputed;

export const gpuInputsOf = inputsWithout(gpuAssignmentComputed);
