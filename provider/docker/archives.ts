// Files in and out of a container through the archive API (`docker cp`): works on stopped
// containers and reaches their volumes too.
import type { DockerEngine } from './engine';
import { orUndefined } from './containers';

/** A tar of the path in the container, or undefined when the path (or container) is missing. */
export function getContainerArchive(
  docker: DockerEngine,
  container: string,
  path: string,
): Promise<NodeJS.ReadableStream | undefined> {
  return orUndefined(docker.getContainer(container).getArchive({ path }));
}

/** Unpacks a tar (spec-archive.ts `tarArchive`) into the container at `path`. */
export async function putContainerArchive(
  docker: DockerEngine,
  container: string,
  tar: Buffer,
  path: string,
): Promise<void> {
  await docker.getContainer(container).putArchive(tar, { path });
}
