import { UNKNOWN } from './check';
import { IDENTITY_FIELDS, snapshotInputsOf, windowsSnapshotInputs } from './inputs';

const stillUnknown = (news: Record<string, unknown>) =>
  IDENTITY_FIELDS.filter((field) => news[field] === UNKNOWN);

/**
 * Pure, no network: identity changes replace (the old snapshot is deleted first), the description
 * is state only. A replaced VM's new UUID is known at preview (the VM plans it at check), so a
 * value still unknown is one the up may find unchanged: "may update", never a replacement the up
 * would not make.
 */
export function diffWindowsSnapshot(
  oldOutputs: Record<string, unknown>,
  news: Record<string, unknown>,
): { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean } {
  const unknown = stillUnknown(news);
  const before = windowsSnapshotInputs.safeParse(snapshotInputsOf(oldOutputs));
  const after = windowsSnapshotInputs.safeParse(snapshotInputsOf(news));
  if (unknown.length > 0 || !before.success || !after.success) {
    const replaces = IDENTITY_FIELDS.filter(
      (f) => !unknown.includes(f) && JSON.stringify(oldOutputs[f]) !== JSON.stringify(news[f]),
    );
    return { changes: true, replaces, deleteBeforeReplace: true };
  }
  const replaces = IDENTITY_FIELDS.filter((f) => before.data[f] !== after.data[f]);
  return {
    changes: replaces.length > 0 || before.data.description !== after.data.description,
    replaces,
    deleteBeforeReplace: true,
  };
}
