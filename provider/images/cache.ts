// The host's image cache: one Docker volume per host, content-addressed. A complete image lives
// at sha256/<digest>.qcow2 (the SHA-256 of the bytes the user named, whatever their format; raw
// and vhdx are converted to qcow2 on the way in), and only once it was verified: a transfer
// writes partial/<digest>.<format> and a verified file is renamed, so the cache never holds a
// bad file under a good name. VMs mount the volume read-only and start as qcow2 overlays over
// their image; deleting a VM never deletes its image (see prune.ts for when one goes).
import type Dockerode from 'dockerode';
import { ensureHostVolume } from '../docker/host-volume';

export const IMAGE_CACHE_VOLUME = 'windock-image-cache';
export const IMAGE_CACHE_LABEL = 'io.windock.image-cache';
/** Where VM containers (read-only) and the import helper (read-write) see the cache. */
export const IMAGE_CACHE_MOUNT = '/images';
/** On a VM's container: the digest of the cached image its system disk is an overlay over. */
export const DISK_IMAGE_LABEL = 'io.windock.disk-image';

/** Where the import helper sees a disk image of the Docker host (media.hostPath), read-only. */
export const HOST_IMAGE_SOURCE = '/source/image';

export type ImageFormat = 'qcow2' | 'raw' | 'vhdx';

export function cachedImagePath(digest: string): string {
  return `${IMAGE_CACHE_MOUNT}/sha256/${digest}.qcow2`;
}

export function partialImagePath(digest: string, format: ImageFormat): string {
  return `${IMAGE_CACHE_MOUNT}/partial/${digest}.${format}`;
}

/** The digest of a cached image path, or undefined for any other path. */
export function digestOfCachedPath(path: string): string | undefined {
  const match = /^\/images\/sha256\/([0-9a-f]{64})\.qcow2$/.exec(path);
  return match?.[1];
}

/** Makes the host's image cache volume on first need; it belongs to the host, not to a VM. */
export async function ensureImageCacheVolume(docker: Dockerode, name = IMAGE_CACHE_VOLUME): Promise<void> {
  await ensureHostVolume(docker, name, IMAGE_CACHE_LABEL);
}
