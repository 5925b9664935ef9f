import type Dockerode from 'dockerode';
import { isNotFound } from '../docker/errors';

/**
 * Graceful stop: Docker sends SIGTERM, the supervisor presses the ACPI power button until the
 * guest is off or the deadline passes. Docker's own timeout is longer than the deadline, so it
 * never kills a guest that is still shutting down.
 */
export async function stopVmContainer(
  docker: Dockerode,
  containerId: string,
  shutdownSeconds: number,
): Promise<number | undefined> {
  const container = docker.getContainer(containerId);
  try {
    const state = (await container.inspect()).State;
    if (state.Running) await container.stop({ t: shutdownSeconds + 15 });
    return (await container.inspect()).State.ExitCode;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    // 304: already stopped.
    if ((error as { statusCode?: number }).statusCode === 304) return undefined;
    throw error;
  }
}

export async function removeContainer(docker: Dockerode, containerId: string): Promise<void> {
  try {
    await docker.getContainer(containerId).remove({ force: true, v: true });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

export async function removeVolume(docker: Dockerode, volumeName: string): Promise<void> {
  try {
    await docker.getVolume(volumeName).remove();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
