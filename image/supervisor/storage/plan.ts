import type { DiskSpec, VmSpec } from '../../../contract';
import { installConflict, installRecordFor } from './install-record';
import type { VolumeRecord } from './volume-record';

export interface ObservedDisk {
  exists: boolean;
  /** Virtual size in MiB, for files that exist. */
  virtualSizeMiB?: number;
}

export type StorageAction =
  | { kind: 'create'; disk: DiskSpec }
  | { kind: 'import'; disk: DiskSpec; from: string; fromFormat: 'qcow2' | 'raw' | 'vhdx' }
  | { kind: 'overlay'; disk: DiskSpec; base: string }
  | { kind: 'grow'; disk: DiskSpec; fromMiB: number }
  | { kind: 'keep'; disk: DiskSpec };

export type StoragePlan =
  | { ok: true; actions: StorageAction[]; warnings: string[]; record: VolumeRecord }
  | { ok: false; reason: string };

export function diskOrigin(disk: DiskSpec): string {
  switch (disk.source.kind) {
    case 'blank':
      return 'blank';
    case 'import':
      return `import:${disk.source.path}`;
    case 'block-device':
      return `block-device:${disk.source.device}`;
    case 'overlay':
      return `overlay:${disk.source.base}`;
  }
}

/**
 * What to do with each disk, given what the volume holds. Pure. Existing disks are always
 * kept (grown, never shrunk, never re-imported): the volume is the VM.
 */
export function planStorage(
  spec: VmSpec,
  observed: Record<string, ObservedDisk>,
  record: VolumeRecord | undefined,
  now: Date = new Date(),
): StoragePlan {
  if (record && record.vmUuid !== spec.identity.uuid && !spec.allowReinstall) {
    return {
      ok: false,
      reason:
        `this volume belongs to VM "${record.vmName}" (${record.vmUuid}), not "${spec.name}" (${spec.identity.uuid}); ` +
        'refusing to touch it. Give this VM its own volume, or set allowReinstall to take it over.',
    };
  }
  const conflict = installConflict(spec, record, observed[spec.disks[0]!.name]?.exists ?? false);
  if (conflict) return { ok: false, reason: conflict };
  const actions: StorageAction[] = [];
  const warnings: string[] = [];
  for (const disk of spec.disks) {
    const seen = observed[disk.name] ?? { exists: false };
    if (disk.source.kind === 'block-device') {
      if (!seen.exists)
        return { ok: false, reason: `disk "${disk.name}": block device ${disk.source.device} is missing` };
      actions.push({ kind: 'keep', disk });
      continue;
    }
    if (!seen.exists && disk.source.kind === 'overlay') {
      if (disk.format !== 'qcow2')
        return {
          ok: false,
          reason: `disk "${disk.name}": an overlay over ${disk.source.base} must be qcow2`,
        };
      actions.push({ kind: 'overlay', disk, base: disk.source.base });
      continue;
    }
    if (!seen.exists) {
      actions.push(
        disk.source.kind === 'import'
          ? { kind: 'import', disk, from: disk.source.path, fromFormat: disk.source.format }
          : { kind: 'create', disk },
      );
      continue;
    }
    const current = seen.virtualSizeMiB ?? 0;
    if (disk.sizeMiB > current) actions.push({ kind: 'grow', disk, fromMiB: current });
    else {
      if (disk.sizeMiB < current) {
        warnings.push(
          `disk "${disk.name}" is ${current} MiB, more than the ${disk.sizeMiB} MiB asked for: disks never shrink, kept as is`,
        );
      }
      actions.push({ kind: 'keep', disk });
    }
  }
  const system = spec.disks[0]!;
  const install = installRecordFor(spec, now);
  const systemMade = actions.some(
    (a) => a.disk.name === system.name && a.kind !== 'keep' && a.kind !== 'grow',
  );
  return {
    ok: true,
    actions,
    warnings,
    record:
      record && record.vmUuid === spec.identity.uuid
        ? // A volume made before its install was recorded gets the record when the install starts.
          record.install || !install || !systemMade
          ? record
          : { ...record, systemDiskOrigin: `install:${install.mediaKey}`, install }
        : {
            formatVersion: 1,
            vmUuid: spec.identity.uuid,
            vmName: spec.name,
            createdAt: now.toISOString(),
            createdBySpecVersion: spec.specVersion,
            systemDiskOrigin: install ? `install:${install.mediaKey}` : diskOrigin(system),
            ...(install ? { install } : {}),
          },
  };
}
