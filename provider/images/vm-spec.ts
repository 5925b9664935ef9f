// A VM over a cached image: its system disk is a qcow2 overlay over the image (read-only in the
// cache volume, which its container mounts read-only), and its container is labelled with the
// image's digest, so a prune knows which images are in use.
import type { ContainerPlacement } from '../docker/container-spec';
import type { VmSpec } from '../../contract';
import {
  cachedImagePath,
  digestOfCachedPath,
  DISK_IMAGE_LABEL,
  IMAGE_CACHE_MOUNT,
  IMAGE_CACHE_VOLUME,
} from './cache';

/** The key of a VM's cached image in its state (output mediaSha256). */
export const DISK_IMAGE_KEY = 'disk-image';

/** The spec with its system disk an overlay over the cached image `digest`. Pure. */
export function withCachedImage(spec: VmSpec, digest: string | undefined): VmSpec {
  const [system, ...rest] = spec.disks;
  if (!digest || !system || system.source.kind !== 'import') return spec;
  return {
    ...spec,
    disks: [
      { ...system, format: 'qcow2', source: { kind: 'overlay', base: cachedImagePath(digest) } },
      ...rest,
    ],
  };
}

/** The digest of the cached image the VM's system disk is over, if any. */
export function cachedImageOf(spec: VmSpec): string | undefined {
  const system = spec.disks[0];
  return system?.source.kind === 'overlay' ? digestOfCachedPath(system.source.base) : undefined;
}

/** The image cache mount and label a VM over a cached image needs. Pure. */
export function withImageCacheMount(placement: ContainerPlacement, spec: VmSpec): ContainerPlacement {
  const digest = cachedImageOf(spec);
  if (!digest) return placement;
  return {
    ...placement,
    labels: { ...placement.labels, [DISK_IMAGE_LABEL]: digest },
    extraVolumes: [
      ...(placement.extraVolumes ?? []),
      { volume: IMAGE_CACHE_VOLUME, target: IMAGE_CACHE_MOUNT, readOnly: true },
    ],
  };
}

/** The image cache mount of a container's mounts (for helpers that open its overlay disks). */
export function imageCacheMountsOf(
  mounts: Array<{ Name?: string; Destination: string }>,
): Array<{ volume: string; target: string; readOnly: boolean }> {
  return mounts
    .filter((m) => m.Destination === IMAGE_CACHE_MOUNT && m.Name)
    .map((m) => ({ volume: m.Name!, target: IMAGE_CACHE_MOUNT, readOnly: true }));
}
