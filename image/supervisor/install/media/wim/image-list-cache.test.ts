import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedImageList, mediumKey } from './image-list-cache';
import type { WimImage } from './wim-images';

const image = { index: 1, name: 'Windows 11 Pro' } as unknown as WimImage;

describe('cachedImageList', () => {
  const dir = mkdtempSync(join(tmpdir(), 'image-list-cache-'));
  const file = join(dir, 'media-images.json');

  it('reads the medium once per key, and again when the medium changes', async () => {
    const read = jest.fn(async () => [image]);
    expect(await cachedImageList('sha256:aa', read, file)).toEqual([image]);
    expect(await cachedImageList('sha256:aa', read, file)).toEqual([image]);
    expect(read).toHaveBeenCalledTimes(1);
    await cachedImageList('sha256:bb', read, file);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('remembers a medium without an install image, and reads past a damaged cache', async () => {
    const none = jest.fn(async () => undefined);
    expect(await cachedImageList('k', none, file)).toBeUndefined();
    expect(await cachedImageList('k', none, file)).toBeUndefined();
    expect(none).toHaveBeenCalledTimes(1);
    writeFileSync(file, '{not json');
    expect(await cachedImageList('k', none, file)).toBeUndefined();
    expect(none).toHaveBeenCalledTimes(2);
  });

  it('keys by the pinned digest, else by the file itself', () => {
    const iso = join(dir, 'x.iso');
    writeFileSync(iso, 'iso');
    expect(mediumKey(iso, 'ab'.repeat(32))).toBe(`sha256:${'ab'.repeat(32)}`);
    expect(mediumKey(iso, undefined)).toMatch(new RegExp(`^${iso}:3:`));
  });
});
