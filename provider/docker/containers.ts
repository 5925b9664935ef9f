// Containers on one host: every container call of the provider goes through here.
import type Dockerode from 'dockerode';
import type { ContainerCreateOptions, ContainerInfo, ContainerSummary, DockerEngine } from './engine';

export type { ContainerInfo, ContainerSummary } from './engine';
import { isNotFound } from './errors';

/** The container's inspect, or undefined when there is none of that name or id (404). */
export async function inspectContainer(
  docker: DockerEngine,
  nameOrId: string,
): Promise<ContainerInfo | undefined> {
  return orUndefined(docker.getContainer(nameOrId).inspect());
}

/** The container's inspect; a missing one is the engine's 404, thrown. */
export function requireContainer(docker: DockerEngine, nameOrId: string): Promise<ContainerInfo> {
  return docker.getContainer(nameOrId).inspect();
}

/** Whether a container of that name or id is on the host (other API failures are thrown). */
export async function containerExists(docker: DockerEngine, nameOrId: string): Promise<boolean> {
  return (await inspectContainer(docker, nameOrId)) !== undefined;
}

/** Creates a container and returns its id. */
export async function createContainer(
  docker: DockerEngine,
  options: ContainerCreateOptions,
): Promise<string> {
  return (await docker.createContainer(options)).id;
}

export async function startContainer(docker: DockerEngine, nameOrId: string): Promise<void> {
  await docker.getContainer(nameOrId).start();
}

/**
 * Stops with SIGTERM, SIGKILL after `timeoutSeconds`. False when it was already stopped (304)
 * or is gone (404).
 */
export async function stopContainer(
  docker: DockerEngine,
  nameOrId: string,
  timeoutSeconds: number,
): Promise<boolean> {
  try {
    await docker.getContainer(nameOrId).stop({ t: timeoutSeconds });
    return true;
  } catch (error) {
    if (isNotFound(error) || (error as { statusCode?: number } | null)?.statusCode === 304) return false;
    throw error;
  }
}

export async function killContainer(docker: DockerEngine, nameOrId: string): Promise<void> {
  await docker.getContainer(nameOrId).kill();
}

/** Waits for the container to exit; its exit code. */
export async function waitContainer(docker: DockerEngine, nameOrId: string): Promise<number> {
  const waited = (await docker.getContainer(nameOrId).wait()) as { StatusCode: number };
  return waited.StatusCode;
}

/** Removes the container (forced, its anonymous volumes too, by default); false when it was not there. */
export async function removeContainer(
  docker: DockerEngine,
  nameOrId: string,
  options: { force?: boolean; volumes?: boolean } = {},
): Promise<boolean> {
  try {
    await docker.getContainer(nameOrId).remove({ force: options.force ?? true, v: options.volumes ?? true });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

export async function updateRestartPolicy(
  docker: DockerEngine,
  nameOrId: string,
  policy: 'no' | 'always' | 'unless-stopped' | 'on-failure',
): Promise<void> {
  await docker.getContainer(nameOrId).update({ RestartPolicy: { Name: policy } });
}

/** Every container (running or not) with all of the labels (`key` or `key=value`) and statuses. */
export function listContainers(
  docker: DockerEngine,
  filters: { label?: string[]; status?: string[] },
): Promise<ContainerSummary[]> {
  return docker.listContainers({ all: true, filters } as Dockerode.ContainerListOptions);
}

/** A promise's value, or undefined when it fails with the engine's 404. */
export async function orUndefined<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
