import type Dockerode from 'dockerode';
import { isNotFound } from './errors';

/** Whether a container of that name or id is on the host (other API failures are thrown). */
export async function containerExists(docker: Dockerode, nameOrId: string): Promise<boolean> {
  try {
    await docker.getContainer(nameOrId).inspect();
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
