import type Dockerode from 'dockerode';
import { ensureHostVolume } from '../docker/host-volume';

export const MEDIA_CACHE_LABEL = 'io.windock.media-cache';

/**
 * Makes the host's media cache volume on first need. It belongs to the host, not to a VM: no
 * VM delete removes it (remove it by hand to free the space: docker volume rm windock-media-cache).
 */
export async function ensureMediaCacheVolume(docker: Dockerode, name: string): Promise<void> {
  await ensureHostVolume(docker, name, MEDIA_CACHE_LABEL);
}
