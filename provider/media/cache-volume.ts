import type Dockerode from 'dockerode';
import { isNotFound } from '../docker/errors';

export const MEDIA_CACHE_LABEL = 'io.windock.media-cache';

/**
 * Makes the host's media cache volume on first need. It belongs to the host, not to a VM: no
 * VM delete removes it (remove it by hand to free the space: docker volume rm windock-media-cache).
 */
export async function ensureMediaCacheVolume(docker: Dockerode, name: string): Promise<void> {
  try {
    await docker.getVolume(name).inspect();
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  // Two VMs created at once both get here; creating an existing local volume is not an error.
  await docker.createVolume({ Name: name, Labels: { [MEDIA_CACHE_LABEL]: 'true' } });
}
