import { zodFailures, type CheckFailure } from '../common/check-failures';
import { UNKNOWN } from '../common/unknown';
import { snapshotInputsOf, windowsSnapshotInputs, type WindowsSnapshotInputs } from './inputs';

export { UNKNOWN };

/** Inputs that come from the VM (its outputs): unknown while the VM is not made yet. */
const FROM_VM = ['vm', 'containerName'];

export type SnapshotCheckOutcome =
  | { ok: true; inputs: WindowsSnapshotInputs | Record<string, unknown> }
  | { ok: false; failures: CheckFailure[] };

/**
 * Pure: validates and normalizes WindowsSnapshot inputs. A `vm` or `containerName` that is
 * still unknown at preview (the placeholder, or left out by the engine) is let through; a
 * known but invalid value fails, naming the field.
 */
export function checkWindowsSnapshot(news: Record<string, unknown>): SnapshotCheckOutcome {
  const raw = snapshotInputsOf(news);
  const parsed = windowsSnapshotInputs.safeParse(raw);
  if (parsed.success) return { ok: true, inputs: parsed.data };
  const failing = parsed.error.issues;
  const stillUnknown = failing.every((issue) => {
    const field = String(issue.path[0]);
    return FROM_VM.includes(field) && (raw[field] === undefined || raw[field] === UNKNOWN);
  });
  if (stillUnknown) return { ok: true, inputs: news };
  return { ok: false, failures: zodFailures(parsed.error) };
}
