import { isDeepStrictEqual } from 'node:util';
import { zodFailures } from '../common/check-failures';
import { containsUnknown } from '../common/unknown';
import type { GpuRequest } from '../../gpu/plan';
import { gpuAssignmentInputs, type GpuAssignmentInputs } from './inputs';
import { gpuInputsOf } from './outputs';

export { UNKNOWN } from '../common/unknown';

/** Inputs whose change makes another reservation: everything but labels. */
export const REPLACE_FIELDS: Array<keyof GpuAssignmentInputs> = [
  'name',
  'host',
  'vm',
  'select',
  'virtualFunction',
  'mdevType',
  'mdevUuid',
  'bindVfio',
  'romFile',
  'primaryDisplay',
];

export type GpuCheckOutcome =
  | { ok: true; unknown: true; inputs: Record<string, unknown> }
  | { ok: true; unknown?: false; inputs: GpuAssignmentInputs; preflight: boolean }
  | { ok: false; failures: Array<{ property: string; reason: string }> };

/** Pure: validates and normalizes, and says whether the host must be asked (new, or a replace-tier change). */
export function checkGpuAssignment(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): GpuCheckOutcome {
  const raw = gpuInputsOf(news);
  if (containsUnknown(raw)) return { ok: true, unknown: true, inputs: raw };
  const parsed = gpuAssignmentInputs.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, failures: zodFailures(parsed.error) };
  }
  const before = Object.keys(olds).length > 0 ? gpuAssignmentInputs.safeParse(gpuInputsOf(olds)) : undefined;
  const preflight = !before?.success || changedReplaceFields(before.data, parsed.data).length > 0;
  return { ok: true, inputs: parsed.data, preflight };
}

export function changedReplaceFields(before: GpuAssignmentInputs, after: GpuAssignmentInputs): string[] {
  return REPLACE_FIELDS.filter((field) => !isDeepStrictEqual(before[field], after[field]));
}

/** Pure, no network: replace-tier fields replace (old reservation released first: the same GPU is taken again). */
export function diffGpuAssignment(
  oldOutputs: Record<string, unknown>,
  news: Record<string, unknown>,
): { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean } {
  const before = gpuAssignmentInputs.safeParse(gpuInputsOf(oldOutputs));
  const after = gpuAssignmentInputs.safeParse(gpuInputsOf(news));
  if (!before.success || !after.success) return { changes: true, replaces: [], deleteBeforeReplace: true };
  const replaces = changedReplaceFields(before.data, after.data);
  const lost = oldOutputs.reservation === 'lost';
  return {
    changes: replaces.length > 0 || lost || !isDeepStrictEqual(before.data.labels, after.data.labels),
    replaces,
    deleteBeforeReplace: true,
  };
}

export function gpuRequestOf(inputs: GpuAssignmentInputs): GpuRequest {
  return {
    host: inputs.host,
    vm: inputs.vm,
    select: inputs.select,
    virtualFunction: inputs.virtualFunction,
    mdevType: inputs.mdevType,
    mdevUuid: inputs.mdevUuid,
    bindVfio: inputs.bindVfio,
    primaryDisplay: inputs.primaryDisplay,
    romFile: inputs.romFile,
    deviceId: 'gpu0',
  };
}
