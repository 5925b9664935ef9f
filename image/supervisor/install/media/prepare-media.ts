// The supervisor's media step: before storage is prepared for a fresh install, refuse a volume
// installed from other media (without touching it), then check the media the provider's fetch
// step put in the read-only cache against the spec's digests (a v2 spec: fetch them here, with
// progress in the status), then the drivers ISO the same way. A failure becomes a
// SupervisorError naming the step (exit 68).
import { existsSync } from 'node:fs';
import { diskPath, type InstallMediaSpec, type VmSpec } from '../../../../contract';
import { EXIT, SupervisorError } from '../../exit-codes';
import type { StatusFile } from '../../status';
import { installConflict } from '../../storage/install-record';
import { readRecord } from '../../storage/prepare';
import { MediaError } from './errors';
import { fetchMedia, type DownloadStatus, type FetchedMedia } from './fetch-media';
import { verifyCachedMedia } from './verify-cached';

const GiB = 1024 ** 3;

function describeProgress(d: DownloadStatus): string {
  const done = `${(d.bytes / GiB).toFixed(2)} GiB`;
  const of = d.totalBytes
    ? ` of ${(d.totalBytes / GiB).toFixed(2)} GiB (${Math.floor((100 * d.bytes) / d.totalBytes)}%)`
    : '';
  return `${d.waitingFor ? `waiting for VM "${d.waitingFor}": ` : ''}${d.mediaKey}: ${done}${of}`;
}

export async function prepareInstallMedia(
  spec: VmSpec,
  status: StatusFile,
  log: (line: string) => void,
): Promise<FetchedMedia | undefined> {
  if (!spec.install) return undefined;
  const system = spec.disks[0]!;
  const record = readRecord();
  const conflict = installConflict(spec, record, existsSync(diskPath(system.name, system.format)));
  if (conflict) throw new SupervisorError(conflict, EXIT.STORAGE, 'storage: install record');
  if (record?.install?.completedAt) return undefined;
  const fetched = await fetchOne(spec.install.media, spec, status, log);
  // The drivers ISO goes through the same cache, lock, checksum and progress.
  if (spec.install.drivers) await fetchOne(spec.install.drivers, spec, status, log);
  status.update({ phase: 'preparing', download: undefined, progress: undefined });
  return fetched;
}

async function fetchOne(
  media: InstallMediaSpec,
  spec: VmSpec,
  status: StatusFile,
  log: (line: string) => void,
): Promise<FetchedMedia> {
  let lastLog = 0;
  try {
    if (spec.install?.fetchedBy === 'provider') return await verifyCachedMedia(media, { log });
    return await fetchMedia(media, {
      vmName: spec.name,
      log,
      onProgress: (download) => {
        const progress = download.totalBytes
          ? Math.min(100, (100 * download.bytes) / download.totalBytes)
          : undefined;
        status.update({
          phase: 'downloading',
          download,
          ...(progress !== undefined ? { progress: Math.floor(progress * 10) / 10 } : {}),
        });
        if (Date.now() - lastLog > 10_000) {
          lastLog = Date.now();
          log(`downloading ${describeProgress(download)}`);
        }
      },
    });
  } catch (error) {
    if (error instanceof MediaError) throw new SupervisorError(error.message, EXIT.MEDIA, error.step);
    throw error;
  }
}
