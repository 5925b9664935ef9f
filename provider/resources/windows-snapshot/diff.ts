import { IDENTITY_FIELDS, snapshotInputsOf, windowsSnapshotInputs } from './inputs';

/** Pure, no network: identity changes replace (the old snapshot is deleted first), the description is state only. */
export function diffWindowsSnapshot(
  oldOutputs: Record<string, unknown>,
  news: Record<string, unknown>,
): { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean } {
  const before = windowsSnapshotInputs.safeParse(snapshotInputsOf(oldOutputs));
  const after = windowsSnapshotInputs.safeParse(snapshotInputsOf(news));
  if (!before.success || !after.success) {
    // Unknown values during preview (a VM being replaced has no UUID yet): compare raw values.
    const replaces = IDENTITY_FIELDS.filter((f) => JSON.stringify(oldOutputs[f]) !== JSON.stringify(news[f]));
    return { changes: true, replaces, deleteBeforeReplace: true };
  }
  const replaces = IDENTITY_FIELDS.filter((f) => before.data[f] !== after.data[f]);
  return {
    changes: replaces.length > 0 || before.data.description !== after.data.description,
    replaces,
    deleteBeforeReplace: true,
  };
}
