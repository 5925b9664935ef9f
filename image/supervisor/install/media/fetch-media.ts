// Fills the host's media cache (the provider's fetch step; a v2 VM's own supervisor): a host file
// as it is, anything else through the cache (a hit costs no request but a hash; one download per
// host).
import { existsSync } from 'node:fs';
import {
  CONTAINER_PATHS,
  describeMediaSource,
  mediaFilePath,
  type InstallMediaSpec,
  type VmStatus,
} from '../../../../contract';
import { MediaCache, type CacheProgress } from './cache';
import { MediaError, MediaGoneError } from './errors';
import { hashFile } from './hash-file';
import { downloadTo, withoutQuery } from './http';
import { resolveDownloadUrl } from './resolve-link';

export type DownloadStatus = NonNullable<VmStatus['download']>;

export interface FetchedMedia {
  path: string;
  /** Undefined for a host file without a digest, and for media a look-up did not find. */
  sha256?: string;
  /** Served from the cache (or another VM's download) without a request of this VM's own. */
  hit: boolean;
}

export interface FetchOptions {
  vmName: string;
  cacheDir?: string;
  onProgress: (status: DownloadStatus) => void;
  log: (line: string) => void;
  staleMs?: number;
  pollMs?: number;
  /** false: only look up (and hash) what the cache holds; never a request. */
  download?: boolean;
}

type RemoteSource = Exclude<InstallMediaSpec['source'], { kind: 'host-file' }>;

/** One source's download into the partial file, checked against the source's own pin. */
async function downloadFrom(
  source: RemoteSource,
  cacheKey: string,
  partialPath: string,
  onProgress: (progress: CacheProgress) => void,
  log: (line: string) => void,
): Promise<{ sha256: string; sizeBytes: number; source: string }> {
  const url = await resolveDownloadUrl(source, log);
  const shown = withoutQuery(url);
  log(`downloading ${cacheKey} from ${shown} (${describeMediaSource(source)})`);
  const sizeHint = source.kind === 'url' ? source.sizeBytes : undefined;
  const got = await downloadTo(
    url,
    partialPath,
    (bytes, totalBytes) => onProgress({ bytes, totalBytes, source: shown }),
    sizeHint,
  );
  const pin = source.kind === 'url' ? source.sha256 : undefined;
  if (pin && got.sha256 !== pin)
    throw new MediaError(
      `the download of ${cacheKey} from ${shown} has SHA-256 ${got.sha256}, not the pinned ${pin}: the file was removed, nothing was cached`,
      'media: verify',
    );
  return { ...got, source: shown };
}

export async function fetchMedia(media: InstallMediaSpec, options: FetchOptions): Promise<FetchedMedia> {
  const source = media.source;
  if (source.kind === 'host-file') {
    if (!existsSync(source.path))
      throw new MediaError(
        `${source.path} is not in the container: the ISO on the Docker host was not mounted (does it still exist there?)`,
        'media: host file',
      );
    if (!media.sha256) return { path: source.path, hit: true };
    const digest = await hashFile(source.path);
    if (digest !== media.sha256)
      throw new MediaError(
        `${source.path} has SHA-256 ${digest}, not the expected ${media.sha256}`,
        'media: verify',
      );
    return { path: source.path, sha256: digest, hit: true };
  }
  const cacheDir = options.cacheDir ?? CONTAINER_PATHS.mediaCache;
  if (!existsSync(cacheDir))
    throw new MediaError(`the media cache ${cacheDir} is not mounted`, 'media: cache');
  const cache = new MediaCache(cacheDir, options.vmName, {
    staleMs: options.staleMs,
    pollMs: options.pollMs,
  });
  if (options.download === false) {
    const entry = await cache.verified(media.cacheKey, media.sha256);
    options.log(
      `media ${media.cacheKey}: ${entry ? 'in the cache, verified' : 'not in the cache (no download asked)'}`,
    );
    return {
      path: mediaFilePath(media),
      ...(entry ? { sha256: entry.sha256 } : {}),
      hit: entry !== undefined,
    };
  }
  const report = (progress: CacheProgress) =>
    options.onProgress({
      mediaKey: media.cacheKey,
      bytes: progress.bytes,
      ...(progress.totalBytes ? { totalBytes: progress.totalBytes } : {}),
      source: progress.source,
      ...(progress.waitingFor ? { waitingFor: progress.waitingFor } : {}),
    });
  const sources = [source, ...(media.fallbacks ?? [])];
  const { entry, hit } = await cache.ensure(
    media.cacheKey,
    async (partialPath, onProgress) => {
      for (const [i, from] of sources.entries()) {
        try {
          return await downloadFrom(from, media.cacheKey, partialPath, onProgress, options.log);
        } catch (error) {
          const next = sources[i + 1];
          if (!(error instanceof MediaGoneError) || !next) throw error;
          options.log(`${(error as Error).message}: trying ${describeMediaSource(next)} instead`);
        }
      }
      throw new MediaError('no source to fetch from', 'media: download');
    },
    { sha256: media.sha256, onProgress: report, log: options.log },
  );
  options.log(
    hit
      ? `media ${media.cacheKey}: cache hit (${entry.sizeBytes} bytes, fetched by "${entry.fetchedBy}")`
      : `media ${media.cacheKey}: ready (${entry.sizeBytes} bytes, SHA-256 ${entry.sha256})`,
  );
  return { path: mediaFilePath(media), sha256: entry.sha256, hit };
}
