// When a cached image goes: never with a VM (deleting a VM keeps its image, so the next VM from
// it costs nothing); only when a prune is asked, and then only images no VM container on the
// host uses (their containers carry DISK_IMAGE_LABEL, running or not). A prune also removes
// partial files of broken transfers (a later import starts those over).
import { listContainers } from '../docker/containers';
import type { DockerEngine } from '../docker/engine';
import { startImageCacheHelper } from '../docker/image-cache-helper';
import { DISK_IMAGE_LABEL, IMAGE_CACHE_MOUNT, IMAGE_CACHE_VOLUME } from './cache';

export interface Pruned {
  removed: string[];
  kept: string[];
}

/** Digests of the cached images that VM containers on the host use. */
async function imagesInUse(docker: DockerEngine): Promise<Set<string>> {
  const containers = await listContainers(docker, { label: [DISK_IMAGE_LABEL] });
  return new Set(containers.map((c) => c.Labels[DISK_IMAGE_LABEL]!).filter(Boolean));
}

/** Removes the host's cached images that no VM uses, and partial transfers. */
export async function pruneImageCache(
  docker: DockerEngine,
  image: string,
  volume = IMAGE_CACHE_VOLUME,
): Promise<Pruned> {
  const inUse = await imagesInUse(docker);
  const helper = await startImageCacheHelper(docker, image, volume, IMAGE_CACHE_MOUNT);
  try {
    const listed = await helper.sh('cd "$1" && ls sha256 2>/dev/null | sed -n "s/\\.qcow2$//p"', [
      IMAGE_CACHE_MOUNT,
    ]);
    const all = listed.stdout.split('\n').filter((d) => /^[0-9a-f]{64}$/.test(d));
    const removed = all.filter((d) => !inUse.has(d));
    // Removed first from the URL index, so no look-up finds an image that is going.
    const script = [
      'cd "$1"; shift',
      'for d in "$@"; do grep -lx "$d" by-url/* 2>/dev/null | xargs -r rm -f; rm -f "sha256/$d.qcow2"; done',
      'rm -rf partial',
    ].join('\n');
    const done = await helper.sh(script, [IMAGE_CACHE_MOUNT, ...removed]);
    if (done.exitCode !== 0) throw new Error(`pruning the image cache failed: ${done.stderr.trim()}`);
    return { removed, kept: all.filter((d) => inUse.has(d)) };
  } finally {
    await helper.remove();
  }
}
