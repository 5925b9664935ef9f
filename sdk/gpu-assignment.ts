import * as pulumi from '@pulumi/pulumi';
import {
  GpuAssignmentOutputs,
  gpuAssignmentOutputNames,
  type GpuAssignmentArgs,
} from './generated/gpu-assignment';
import { gpuAssignmentThinProvider } from './thin-provider';

// The inputs' and outputs' types are generated from the provider's zod schemas (`npm run schema`).
export type { GpuAssignmentArgs, GpuSelector } from './generated/gpu-assignment';

/** Every computed output, registered (undefined) so that each is an output of the resource. */
function outputSlots(): Record<string, undefined> {
  return Object.fromEntries(gpuAssignmentOutputNames.map((key) => [key, undefined]));
}

/**
 * A host-level reservation of one GPU for one VM. Exclusive per host, across stacks and
 * concurrent `pulumi up`s: the reservation is a Docker object on the host whose creation only
 * one can win. Give its `id` to `WindowsVm`'s `gpu` (restart tier). Every input but `labels`
 * replaces the assignment (remove `gpu` from the VM first: an assignment in use is not released).
 */
export class GpuAssignment extends GpuAssignmentOutputs {
  constructor(name: string, args: GpuAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    const owner = `${pulumi.getProject()}/${pulumi.getStack()}`;
    super(
      gpuAssignmentThinProvider,
      name,
      { name, owner, ...args, ...outputSlots() },
      opts,
      'windock',
      'GpuAssignment',
    );
  }
}
