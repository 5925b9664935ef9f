// Test rig for the image cache: a cache volume of its own on an engine, and what it holds.
import { execFileSync } from 'node:child_process';
import type Dockerode from 'dockerode';
import { startImageCacheHelper } from '../../provider/docker/image-cache-helper';
import { IMAGE_CACHE_MOUNT } from '../../provider/images/cache';

/** Every file in the cache volume, relative to its root. */
export async function cacheFiles(docker: Dockerode, image: string, volume: string): Promise<string[]> {
  const helper = await startImageCacheHelper(docker, image, volume, IMAGE_CACHE_MOUNT);
  try {
    const out = await helper.sh('cd "$1" && find . -type f | sort', [IMAGE_CACHE_MOUNT]);
    return out.stdout
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^\.\//, ''));
  } finally {
    await helper.remove();
  }
}

/** Writes `bytes` as the cache's partial file `name` (a transfer that broke). */
export async function writePartial(
  docker: Dockerode,
  image: string,
  volume: string,
  name: string,
  bytes: Buffer,
): Promise<void> {
  const helper = await startImageCacheHelper(docker, image, volume, IMAGE_CACHE_MOUNT);
  try {
    const sink = await helper.pipe([
      'sh',
      '-c',
      'mkdir -p "$(dirname "$1")" && cat > "$1"',
      'w',
      `${IMAGE_CACHE_MOUNT}/${name}`,
    ]);
    sink.resume();
    sink.end(bytes);
    await sink.exitCode();
  } finally {
    await helper.remove();
  }
}

export function sha256Of(path: string): string {
  return execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0]!;
}

export function qemuImg(...args: string[]): string {
  return execFileSync('qemu-img', args, { encoding: 'utf8' });
}
