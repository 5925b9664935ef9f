// Before a VM's container is made: its cached install media through the fetch step, and the
// digests the step verified written into the VM spec (install.media.sha256, drivers.sha256), so
// the VM's container checks the read-only cache's file against them at every start. The digests
// are kept in the resource's state (output mediaSha256) and put back into later specs.
import type Dockerode from 'dockerode';
import type { InstallMediaSpec, VmSpec } from '../../contract';
import { ensureMediaCacheVolume } from './cache-volume';
import { runFetchStep } from './fetch-container';
import { downloadLineLogger } from './progress-log';
import { MEDIA_CACHE_VOLUME } from './resolve';

/** SHA-256 of each cached install medium, by cache key. */
export type MediaDigests = Record<string, string>;

function cachedMedia(spec: VmSpec): InstallMediaSpec[] {
  const install = spec.install;
  if (!install) return [];
  return [install.media, install.drivers].filter(
    (m): m is InstallMediaSpec => m !== undefined && m.source.kind !== 'host-file',
  );
}

/** The digests of a spec's cached media (for the state). */
export function mediaDigests(spec: VmSpec): MediaDigests {
  return Object.fromEntries(cachedMedia(spec).flatMap((m) => (m.sha256 ? [[m.cacheKey, m.sha256]] : [])));
}

/** The spec with recorded digests where its cached media have none (a pin or the user's stays). */
export function withMediaDigests(spec: VmSpec, digests: MediaDigests | undefined): VmSpec {
  if (!spec.install || !digests) return spec;
  const filled = (m: InstallMediaSpec): InstallMediaSpec =>
    m.source.kind === 'host-file' || m.sha256 || !digests[m.cacheKey]
      ? m
      : { ...m, sha256: digests[m.cacheKey] };
  const { media, drivers } = spec.install;
  return {
    ...spec,
    install: { ...spec.install, media: filled(media), ...(drivers ? { drivers: filled(drivers) } : {}) },
  };
}

export interface FetchForVm {
  docker: Dockerode;
  hostName: string;
  image: string;
  /** A new volume: the media are needed, downloaded if the cache lacks them. */
  firstStart: boolean;
  timeoutMs: number;
  write?: (line: string) => void;
}

/**
 * The spec with every cached medium's digest, fetched by the fetch step where needed: at a first
 * start always (it downloads what the cache lacks); later only where no digest is known, and then
 * as a look-up (a restart of an installed VM never downloads).
 */
export async function fetchForVm(spec: VmSpec, access: FetchForVm): Promise<VmSpec> {
  const wanted = cachedMedia(spec).filter((m) => access.firstStart || !m.sha256);
  if (wanted.length === 0) return spec;
  await ensureMediaCacheVolume(access.docker, MEDIA_CACHE_VOLUME);
  const write = access.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const fetched = await runFetchStep({
    docker: access.docker,
    hostName: access.hostName,
    image: access.image,
    cacheVolume: MEDIA_CACHE_VOLUME,
    request: { vmName: spec.name, media: wanted, download: access.firstStart },
    timeoutMs: access.timeoutMs,
    onProgress: downloadLineLogger(spec.name, write),
    log: (line) => write(`windock: VM "${spec.name}": ${line}`),
  });
  const digests: MediaDigests = {};
  for (const got of fetched) if (got.sha256) digests[got.cacheKey] = got.sha256;
  return withMediaDigests(spec, digests);
}
