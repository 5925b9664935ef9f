import type { z } from 'zod';
import { REPLACE_FIELDS } from '../resources/windows-vm/impact';
import { windowsVmInputFields, windowsVmInputs } from '../resources/windows-vm/inputs';
import { SECRET_INPUT_FIELDS, SECRET_OUTPUTS, windowsVmComputed } from '../resources/windows-vm/outputs';
import { REPLACE_FIELDS as GPU_REPLACE_FIELDS } from '../resources/gpu-assignment/check';
import { gpuAssignmentInputs } from '../resources/gpu-assignment/inputs';
import { gpuAssignmentComputed } from '../resources/gpu-assignment/outputs';
import {
  IDENTITY_FIELDS,
  windowsSnapshotComputed,
  windowsSnapshotInputs,
} from '../resources/windows-snapshot/inputs';

/** What schema.json says about one resource: its zod shapes, secrets and replacing inputs. */
export interface ResourceSchemaSource {
  name: string;
  description: string;
  inputs: z.ZodType;
  /** The inputs' object before cross-field checks and sorting: the shape outputs echo. */
  inputFields: z.ZodObject;
  /** Outputs beyond the echoed inputs. */
  computed: z.ZodObject;
  secretOutputs: readonly string[];
  /** Input fields that carry passwords or keys, by input (the SDK marks them secret). */
  secretInputFields: Readonly<Record<string, readonly string[]>>;
  replaceOnChanges: readonly string[];
}

export const RESOURCES: ResourceSchemaSource[] = [
  {
    name: 'WindowsVm',
    description:
      "A Windows VM under QEMU in a Docker container on one of the stack's hosts. Every input lands in one impact tier (none, live, restart, replace) that the preview shows as changeImpact.",
    inputs: windowsVmInputs,
    inputFields: windowsVmInputFields,
    computed: windowsVmComputed,
    secretOutputs: SECRET_OUTPUTS,
    secretInputFields: SECRET_INPUT_FIELDS,
    replaceOnChanges: REPLACE_FIELDS,
  },
  {
    name: 'WindowsSnapshot',
    description:
      'A named snapshot of a WindowsVm, with memory (RAM, devices, disks, UEFI variables and TPM together; the VM pauses only while saving) or of the disks only. Identity changes replace it; a replaced or deleted VM takes its snapshots with it.',
    inputs: windowsSnapshotInputs,
    inputFields: windowsSnapshotInputs,
    computed: windowsSnapshotComputed,
    secretOutputs: [],
    secretInputFields: {},
    replaceOnChanges: IDENTITY_FIELDS,
  },
  {
    name: 'GpuAssignment',
    description:
      'A host-level, exclusive reservation of one GPU (by PCI address, index or UUID; whole, an SR-IOV virtual function or a mediated device) for one VM, passed through with VFIO. Referenced from WindowsVm.gpu.',
    inputs: gpuAssignmentInputs,
    inputFields: gpuAssignmentInputs,
    computed: gpuAssignmentComputed,
    secretOutputs: [],
    secretInputFields: {},
    replaceOnChanges: GPU_REPLACE_FIELDS,
  },
];
