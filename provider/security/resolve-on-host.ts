import type { DockerEngine } from '../docker/engine';
import { runHelperContainer } from '../docker/helper-container';
import type { ResolvedHostPath } from '../../lib/host-paths/resolved-host-path';

const HELPER_TIMEOUT_MS = 60_000;

/** How to reach the Docker host whose paths are resolved, and an image it has (windock's). */
export interface HostPathAccess {
  docker: DockerEngine;
  hostName: string;
  image: string;
}

/**
 * Resolves host paths on the Docker host itself (symbolic links followed there, one component
 * at a time, bind mounts seen in its mount table), through a short-lived helper container made
 * from the windock image: works the same for local, TLS and SSH hosts, since only the Docker
 * API is used. One answer per path, in order.
 */
export async function resolveOnHost(access: HostPathAccess, paths: string[]): Promise<ResolvedHostPath[]> {
  if (paths.length === 0) return [];
  const { exitCode, stdout, stderr } = await runHelperContainer(
    access.docker,
    {
      image: access.image,
      purpose: 'host-paths',
      entrypoint: ['/usr/local/bin/node', '/opt/windock/supervisor.js', 'resolve-host-paths'],
      cmd: paths,
      // The host's "/" read-only at /host; DAC_READ_SEARCH walks into folders only their owner
      // may enter, as the engine does when it mounts them (it reads nothing).
      mounts: [{ type: 'bind', source: '/', target: '/host' }],
      capabilities: ['DAC_READ_SEARCH'],
      imageMissing: (error) =>
        new Error(
          `the image "${access.image}" is not on host "${access.hostName}": host paths are checked by a helper container of it; build it there (scripts/setup.sh) or set windock:image`,
          { cause: error },
        ),
    },
    {
      ms: HELPER_TIMEOUT_MS,
      error: () =>
        new Error(
          `the host-path helper on host "${access.hostName}" did not finish within ${HELPER_TIMEOUT_MS / 1000} s`,
        ),
    },
  );
  if (exitCode !== 0)
    throw new Error(
      `resolving host paths on host "${access.hostName}" failed (exit ${exitCode}; an image older than this provider cannot, rebuild it): ${stderr.trim().slice(-400)}`,
    );
  const answers = JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as ResolvedHostPath[];
  if (answers.length !== paths.length)
    throw new Error(`the host-path helper answered ${answers.length} of ${paths.length} paths`);
  return answers;
}
