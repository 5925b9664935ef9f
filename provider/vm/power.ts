import { inspectContainer, stopContainer } from '../docker/containers';
import type { DockerEngine } from '../docker/engine';

/**
 * Graceful stop: Docker sends SIGTERM, the supervisor presses the ACPI power button until the
 * guest is off or the deadline passes. Docker's own timeout is longer than the deadline, so it
 * never kills a guest that is still shutting down.
 */
export async function stopVmContainer(
  docker: DockerEngine,
  containerId: string,
  shutdownSeconds: number,
): Promise<number | undefined> {
  const before = await inspectContainer(docker, containerId);
  if (!before) return undefined;
  // Already stopped (304) or gone meanwhile: no exit code of this stop to report.
  if (before.State.Running && !(await stopContainer(docker, containerId, shutdownSeconds + 15)))
    return undefined;
  return (await inspectContainer(docker, containerId))?.State.ExitCode;
}
