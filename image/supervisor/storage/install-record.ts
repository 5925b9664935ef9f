// No silent reinstall: a volume records which Windows it was installed with, from which media.
// A spec that asks for other media over a volume that holds a system is refused with both named.
import { describeMediaSource, type VmSpec } from '../../../contract';
import type { VolumeRecord } from './volume-record';

export type InstallRecord = NonNullable<VolumeRecord['install']>;

export function installRecordFor(spec: VmSpec, now: Date): InstallRecord | undefined {
  if (!spec.install) return undefined;
  return {
    version: spec.install.windows.version,
    edition: spec.install.windows.edition,
    mediaKey: spec.install.media.cacheKey,
    mediaSource: describeMediaSource(spec.install.media.source),
    ...(spec.install.media.sha256 ? { sha256: spec.install.media.sha256 } : {}),
    startedAt: now.toISOString(),
  };
}

const describe = (r: Pick<InstallRecord, 'version' | 'edition' | 'mediaKey' | 'mediaSource'>) =>
  `Windows ${r.version} ${r.edition} from media ${r.mediaKey} (${r.mediaSource})`;

/**
 * Why this spec's install must not run on this volume, or undefined. Pure. `systemDiskExists`:
 * the volume already holds a system disk (made by an install, an import or anything else).
 */
export function installConflict(
  spec: VmSpec,
  record: VolumeRecord | undefined,
  systemDiskExists: boolean,
): string | undefined {
  if (!spec.install || spec.allowReinstall || !record) return undefined;
  const wanted = installRecordFor(spec, new Date(0))!;
  const fix =
    'The volume was not touched. Set media back to what this volume was installed from, or give the VM a new volume ' +
    '(replace or delete it without retainStorageOnDelete; a retained volume can be adopted by the VM it belongs to).';
  const had = record.install;
  if (had) {
    if (had.mediaKey === wanted.mediaKey && had.version === wanted.version && had.edition === wanted.edition)
      return undefined;
    return `this volume was installed with ${describe(had)}, but the spec asks for ${describe(wanted)}: refusing to reinstall. ${fix}`;
  }
  if (!systemDiskExists) return undefined;
  return `this volume's system disk came from "${record.systemDiskOrigin}", but the spec asks to install ${describe(wanted)}: refusing to install over it. ${fix}`;
}
