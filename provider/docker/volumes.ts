// Volumes on one host.
import type { DockerEngine, VolumeInfo } from './engine';
import { orUndefined } from './containers';
import { isNotFound } from './errors';

export function inspectVolume(docker: DockerEngine, name: string): Promise<VolumeInfo | undefined> {
  return orUndefined(docker.getVolume(name).inspect());
}

export async function volumeExists(docker: DockerEngine, name: string): Promise<boolean> {
  return (await inspectVolume(docker, name)) !== undefined;
}

export async function createVolume(
  docker: DockerEngine,
  name: string,
  labels: Record<string, string> = {},
): Promise<void> {
  await docker.createVolume({ Name: name, Labels: labels });
}

/** Creates the volume unless it is there (two creators at once are fine: a local volume's create is idempotent). */
export async function ensureVolume(
  docker: DockerEngine,
  name: string,
  labels: Record<string, string> = {},
): Promise<void> {
  if (await volumeExists(docker, name)) return;
  await createVolume(docker, name, labels);
}

/** Removes the volume; a missing one is fine, one in use (409) is thrown. */
export async function removeVolume(docker: DockerEngine, name: string): Promise<void> {
  try {
    await docker.getVolume(name).remove();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
