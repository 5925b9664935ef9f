import type { DockerEngine } from './engine';
import { ensureVolume } from './volumes';

/**
 * Makes a volume that belongs to the host, not to a VM (a cache), on first need. No VM delete
 * removes it.
 */
export async function ensureHostVolume(docker: DockerEngine, name: string, label: string): Promise<void> {
  // Two VMs created at once both get here; creating an existing local volume is not an error.
  await ensureVolume(docker, name, { [label]: 'true' });
}
