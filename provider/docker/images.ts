// Images and the engine itself.
import type { DockerEngine, ImageInfo } from './engine';
import { orUndefined } from './containers';

export function inspectImage(docker: DockerEngine, ref: string): Promise<ImageInfo | undefined> {
  return orUndefined(docker.getImage(ref).inspect());
}

/** The image's inspect; a missing image is the engine's 404, thrown. */
export function requireImage(docker: DockerEngine, ref: string): Promise<ImageInfo> {
  return docker.getImage(ref).inspect();
}

/** The engine's `docker info` (the fields windock reads). */
export async function engineInfo(docker: DockerEngine): Promise<{ NCPU: number; MemTotal: number }> {
  return (await docker.info()) as { NCPU: number; MemTotal: number };
}
