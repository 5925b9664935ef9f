import { sampleSpec } from '../../contract/sample-spec';
import { cachedImagePath, DISK_IMAGE_LABEL, IMAGE_CACHE_VOLUME } from './cache';
import { cachedImageOf, withCachedImage, withImageCacheMount } from './vm-spec';

const digest = 'ab'.repeat(32);

describe('a VM over a cached image', () => {
  const spec = sampleSpec({
    disks: [
      {
        name: 'system',
        sizeMiB: 4096,
        format: 'qcow2',
        source: { kind: 'import', path: '/storage/import/system.raw', format: 'raw' },
        readOnly: false,
      },
    ],
  });
  it('makes the system disk a qcow2 overlay over the cached image', () => {
    const over = withCachedImage(spec, digest);
    expect(over.disks[0]).toMatchObject({
      format: 'qcow2',
      source: { kind: 'overlay', base: cachedImagePath(digest) },
    });
    expect(cachedImageOf(over)).toBe(digest);
    expect(withCachedImage(spec, undefined)).toBe(spec);
  });
  it('mounts the cache read-only and labels the container with the digest', () => {
    const placement = withImageCacheMount(
      {
        containerName: 'c',
        image: 'i',
        volumeName: 'v',
        labels: {},
        published: [],
        kvmDevice: false,
      } as never,
      withCachedImage(spec, digest),
    );
    expect(placement.labels[DISK_IMAGE_LABEL]).toBe(digest);
    expect(placement.extraVolumes).toEqual([
      { volume: IMAGE_CACHE_VOLUME, target: '/images', readOnly: true },
    ]);
  });
});
