// A v3 VM's container never writes the host's media cache: the provider's fetch step filled it
// before this container started, and it is mounted read-only here. Every cached file is hashed
// against the digest the spec records (a catalogue pin, the user's sha256, or what the fetch step
// returned to the provider), never against the entry's own .json, which whoever could rewrite the
// file could rewrite too.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONTAINER_PATHS, type InstallMediaSpec } from '../../../../contract';
import { MediaError } from './errors';
import { fetchMedia, type FetchedMedia } from './fetch-media';
import { hashFile } from './hash-file';

const VOLUME = 'windock-media-cache';

/** The way out of a bad or missing entry: the next fetch step downloads it again. */
function fix(key: string): string {
  return (
    `Remove the entry (docker run --rm -v ${VOLUME}:/cache --entrypoint rm <windock image> -f /cache/${key}.iso /cache/${key}.json) ` +
    `and recreate the VM (pulumi up --replace <its URN>): its fetch step downloads and records it again`
  );
}

export async function verifyCachedMedia(
  media: InstallMediaSpec,
  options: { log: (line: string) => void; cacheDir?: string },
): Promise<FetchedMedia> {
  if (media.source.kind === 'host-file')
    return fetchMedia(media, { vmName: '', onProgress: () => undefined, log: options.log });
  const key = media.cacheKey;
  if (!media.sha256)
    throw new MediaError(
      `install media ${key}: the spec records no SHA-256, so the cached file cannot be checked: run \`pulumi up\` with a provider that runs the fetch step (it records the digest)`,
      'media: verify',
    );
  const path = join(options.cacheDir ?? CONTAINER_PATHS.mediaCache, `${key}.iso`);
  if (!existsSync(path))
    throw new MediaError(
      `the host's media cache (volume ${VOLUME}) has no ${key}.iso: it was removed after the fetch step. ${fix(key)}`,
      'media: cache',
    );
  options.log(`media ${key}: checking its SHA-256 against the recorded ${media.sha256.slice(0, 12)}…`);
  const digest = await hashFile(path);
  if (digest !== media.sha256)
    throw new MediaError(
      `the cached ${key}.iso (volume ${VOLUME}) has SHA-256 ${digest}, not the ${media.sha256} recorded when this VM's media was fetched: ` +
        `it was changed in the cache since, refusing to use it (the VM's disk was not touched). ${fix(key)}`,
      'media: verify',
    );
  options.log(`media ${key}: verified (SHA-256 ${digest})`);
  return { path, sha256: digest, hit: true };
}
