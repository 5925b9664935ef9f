import type { z } from 'zod';
import { REPLACE_FIELDS } from '../resources/windows-vm/impact';
import { windowsVmInputFields, windowsVmInputs } from '../resources/windows-vm/inputs';
import { SECRET_OUTPUTS, windowsVmComputed } from '../resources/windows-vm/outputs';

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
    replaceOnChanges: REPLACE_FIELDS,
  },
];
