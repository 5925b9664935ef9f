// The image list of an install ISO, read once per medium: reading it streams the whole
// install.wim (5-7 GiB) through 7-Zip, and an unfinished install starts again after every reboot
// of the container. Kept in the VM's own install folder, keyed by what identifies the file.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { STORAGE_PATHS } from '../../../../../contract';
import type { WimImage } from './wim-images';

const CACHE_FILE = join(STORAGE_PATHS.installDir, 'media-images.json');

interface CacheEntry {
  key: string;
  images: WimImage[] | null;
}

/** The ISO's digest where the spec pins one, else its path, size and modification time. */
export function mediumKey(iso: string, sha256: string | undefined): string {
  if (sha256) return `sha256:${sha256}`;
  const stat = statSync(iso);
  return `${iso}:${stat.size}:${stat.mtimeMs}`;
}

export async function cachedImageList(
  key: string,
  read: () => Promise<WimImage[] | undefined>,
  file = CACHE_FILE,
): Promise<WimImage[] | undefined> {
  try {
    if (existsSync(file)) {
      const entry = JSON.parse(readFileSync(file, 'utf8')) as CacheEntry;
      if (entry.key === key) return entry.images ?? undefined;
    }
  } catch {
    // A damaged cache is read again from the medium.
  }
  const images = await read();
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify({ key, images: images ?? null } satisfies CacheEntry), {
      mode: 0o600,
    });
  } catch {
    // Without a writable install folder the list is simply read again next time.
  }
  return images;
}
