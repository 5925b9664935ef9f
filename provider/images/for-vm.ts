// Before a VM's container is made: its disk image in the host's image cache. The digest goes
// into the VM's state (output mediaSha256, key "disk-image"), so later starts find the image
// without reading the file again (and a VM whose volume holds its disk needs no file at all);
// a first start always asks the cache (a hit sends nothing).
import type Dockerode from 'dockerode';
import type { MediaInput } from '../resources/windows-vm/media-input';
import type { VmSpec } from '../../contract';
import { importImage, type Imported } from './import';
import { imageSourceOf, type ImageSource } from './source';
import { checkLocalFile } from '../security/local-files';
import { cachedImageOf, DISK_IMAGE_KEY } from './vm-spec';

export interface ImportForVm {
  docker: Dockerode;
  hostName: string;
  image: string;
  vmName: string;
  media: MediaInput | undefined;
  systemDiskMiB: number;
  firstStart: boolean;
  /** A linked clone's disks come from its base, not from the media. */
  clone: boolean;
  known: Record<string, string> | undefined;
  /** media.hostPath as resolved and judged on the host (links followed): what was checked is what is read. */
  resolvedHostPath?: string;
}

/**
 * The source as checked now, at create (what preview checked may have changed since): a local
 * file again by checkLocalFile (links resolved, no system file, no credential), a host file as
 * resolved and judged on the host. What was checked is what is read.
 */
function checkedSource(named: ImageSource, resolvedHostPath: string | undefined): ImageSource {
  if (named.from.kind === 'host' && resolvedHostPath)
    return { ...named, from: { kind: 'host', path: resolvedHostPath } };
  if (named.from.kind !== 'file') return named;
  const verdict = checkLocalFile(named.from.path, named.field);
  if (!verdict.ok) throw new Error(verdict.reason);
  return { ...named, from: { kind: 'file', path: verdict.path } };
}

/** Imports running in this provider process, by host and source. */
const inFlight = new Map<string, Promise<Imported>>();

/** The digests to start from, with the disk image's (imported when needed). */
export async function importForVm(access: ImportForVm): Promise<Record<string, string> | undefined> {
  const named = imageSourceOf(access.media);
  if (!named || access.clone) return access.known;
  // A later start keeps the disk it has: a VM made before the cache existed needs no file now.
  if (!access.firstStart) return access.known;
  const source = checkedSource(named, access.resolvedHostPath);
  const write = (line: string) => process.stderr.write(`windock: VM "${access.vmName}": ${line}\n`);
  const key = `${access.hostName}\0${JSON.stringify(source)}`;
  // VMs created together from one image: the first imports it, the others wait and then hit the cache.
  const earlier = inFlight.get(key);
  const known = earlier ? await earlier.catch(() => undefined) : undefined;
  const run = importImage(
    { docker: access.docker, hostName: access.hostName, image: access.image, write },
    known ? { ...source, sha256: known.digest } : source,
    access.systemDiskMiB,
  );
  inFlight.set(key, run);
  try {
    const imported = await run;
    return { ...access.known, [DISK_IMAGE_KEY]: imported.digest };
  } finally {
    if (inFlight.get(key) === run) inFlight.delete(key);
  }
}

/** The state's record of the VM's cached image. */
export function diskImageDigests(spec: VmSpec): Record<string, string> {
  const digest = cachedImageOf(spec);
  return digest ? { [DISK_IMAGE_KEY]: digest } : {};
}
