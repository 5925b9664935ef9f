import type Dockerode from 'dockerode';
import { demuxDockerLogs } from '../docker/log-frames';
import type { ResolvedHostPath } from '../../lib/host-paths/resolved-host-path';

const HELPER_TIMEOUT_MS = 60_000;

/** How to reach the Docker host whose paths are resolved, and an image it has (windock's). */
export interface HostPathAccess {
  docker: Dockerode;
  hostName: string;
  image: string;
}

/**
 * The helper's container: the host's "/" bound read-only at /host, no network, a read-only
 * root, no new privileges, every capability dropped but DAC_READ_SEARCH (to walk into folders
 * only their owner may enter, as the engine does when it mounts them; it reads nothing).
 */
function helperOptions(access: HostPathAccess, paths: string[]): Dockerode.ContainerCreateOptions {
  return {
    Image: access.image,
    Entrypoint: ['/usr/local/bin/node', '/opt/windock/supervisor.js', 'resolve-host-paths'],
    Cmd: paths,
    Labels: { 'io.windock.helper': 'host-paths' },
    NetworkDisabled: true,
    HostConfig: {
      NetworkMode: 'none',
      CapDrop: ['ALL'],
      CapAdd: ['DAC_READ_SEARCH'],
      SecurityOpt: ['no-new-privileges:true'],
      ReadonlyRootfs: true,
      Mounts: [{ Type: 'bind', Source: '/', Target: '/host', ReadOnly: true }],
    },
  };
}

async function waitFor(container: Dockerode.Container, hostName: string): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `the host-path helper on host "${hostName}" did not finish within ${HELPER_TIMEOUT_MS / 1000} s`,
          ),
        ),
      HELPER_TIMEOUT_MS,
    );
  });
  const waited = (await Promise.race([container.wait(), timeout]).finally(() => clearTimeout(timer))) as {
    StatusCode: number;
  };
  return waited.StatusCode;
}

/**
 * Resolves host paths on the Docker host itself (symbolic links followed there, one component
 * at a time, bind mounts seen in its mount table), through a short-lived helper container made
 * from the windock image: works the same for local, TLS and SSH hosts, since only the Docker
 * API is used. One answer per path, in order.
 */
export async function resolveOnHost(access: HostPathAccess, paths: string[]): Promise<ResolvedHostPath[]> {
  if (paths.length === 0) return [];
  let helper: Dockerode.Container;
  try {
    helper = await access.docker.createContainer(helperOptions(access, paths));
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404)
      throw new Error(
        `the image "${access.image}" is not on host "${access.hostName}": host paths are checked by a helper container of it; build it there (scripts/setup.sh) or set windock:image`,
        { cause: error },
      );
    throw error;
  }
  try {
    await helper.start();
    const code = await waitFor(helper, access.hostName);
    const raw = (await helper.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    const { stdout, stderr } = demuxDockerLogs(raw);
    if (code !== 0)
      throw new Error(
        `resolving host paths on host "${access.hostName}" failed (exit ${code}; an image older than this provider cannot, rebuild it): ${stderr.trim().slice(-400)}`,
      );
    const answers = JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as ResolvedHostPath[];
    if (answers.length !== paths.length)
      throw new Error(`the host-path helper answered ${answers.length} of ${paths.length} paths`);
    return answers;
  } finally {
    await helper.remove({ force: true, v: true }).catch(() => undefined);
  }
}
