import type Dockerode from 'dockerode';
import { isNotFound } from './errors';

/**
 * Makes a volume that belongs to the host, not to a VM (a cache), on first need. No VM delete
 * removes it.
 */
export async function ensureHostVolume(docker: Dockerode, name: string, label: string): Promise<void> {
  try {
    await docker.getVolume(name).inspect();
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  // Two VMs created at once both get here; creating an existing local volume is not an error.
  await docker.createVolume({ Name: name, Labels: { [label]: 'true' } });
}
