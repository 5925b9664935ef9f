import { planPciFunctions } from './pci-functions';
import type { PlanContext, PlanOutcome } from './types';

/** Mode "whole": every function of the GPU (its audio, USB-C, ...) goes to the VM. */
export function planWholeGpu(context: PlanContext): PlanOutcome {
  return planPciFunctions(context, 'whole', context.gpu.functions, context.gpu.address);
}
