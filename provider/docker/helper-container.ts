// The one helper-container runner: a short-lived container of the windock image doing one job on
// the host (a probe, a qemu-img step, a sysfs read, a download). Its hardening is one default
// that no caller can switch off: every capability dropped, no new privileges, a read-only root,
// no network, a helper label and a unique name, and it is removed afterwards, whatever happened.
// Options only widen what a caller declares it needs (a capability, a writable mount, a
// network, a writable root), and each such call site says why.
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { DockerEngine } from './engine';
import { createContainer, killContainer, removeContainer, startContainer, waitContainer } from './containers';
import { putContainerArchive } from './archives';
import { execOutput } from './exec-output';
import { openExecStream, type ExecStream } from './exec-stream';
import { readContainerLogs } from './logs';
import { isNotFound } from './errors';
import { tarArchive, type ArchiveFile } from './spec-archive';

export const HELPER_LABEL = 'io.windock.helper';

export interface HelperMount {
  type: 'volume' | 'bind';
  source: string;
  target: string;
  /** Read-only unless the job writes there (false). */
  readOnly?: boolean;
}

export interface HelperOptions {
  image: string;
  /** What the helper does: its label value and part of its name ("gpu", "host-paths"...). */
  purpose: string;
  entrypoint: string[];
  cmd?: string[];
  /** The name's start (default `windock-helper-<purpose>`); a random suffix makes it unique. */
  namePrefix?: string;
  labels?: Record<string, string>;
  mounts?: HelperMount[];
  /** A network the job needs (a download: 'bridge'); none by default. */
  network?: string;
  /** Capabilities the job needs beyond none; say why at the call site. */
  capabilities?: string[];
  /** A writable root filesystem, for jobs that write outside their mounts; say why. */
  writableRootfs?: boolean;
  deviceRequests?: Dockerode.DeviceRequest[];
  /** Files put into the container before it starts. */
  files?: { dir: string; files: ArchiveFile[] };
  /** A 404 on create means the image is not on the host: the caller's message for it. */
  imageMissing?: (error: unknown) => Error;
}

export interface HelperResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The container options of a helper: the hardened default, widened only where asked. */
export function helperContainerOptions(options: HelperOptions): Dockerode.ContainerCreateOptions {
  const prefix = options.namePrefix ?? `windock-helper-${options.purpose}`;
  return {
    name: `${prefix}-${randomBytes(4).toString('hex')}`,
    Image: options.image,
    Entrypoint: options.entrypoint,
    Cmd: options.cmd ?? [],
    Labels: { [HELPER_LABEL]: options.purpose, ...options.labels },
    ...(options.network ? {} : { NetworkDisabled: true }),
    HostConfig: {
      NetworkMode: options.network ?? 'none',
      CapDrop: ['ALL'],
      ...(options.capabilities?.length ? { CapAdd: options.capabilities } : {}),
      SecurityOpt: ['no-new-privileges:true'],
      ReadonlyRootfs: !options.writableRootfs,
      Mounts: (options.mounts ?? []).map((m) => ({
        Type: m.type,
        Source: m.source,
        Target: m.target,
        ReadOnly: m.readOnly ?? true,
      })),
      ...(options.deviceRequests ? { DeviceRequests: options.deviceRequests } : {}),
    },
  };
}

/** Creates the helper (not started), its files in; the caller's message when the image is missing. */
async function createHelper(docker: DockerEngine, options: HelperOptions): Promise<string> {
  let id: string;
  try {
    id = await createContainer(docker, helperContainerOptions(options));
  } catch (error) {
    if (options.imageMissing && isNotFound(error)) throw options.imageMissing(error);
    throw error;
  }
  if (options.files) {
    try {
      await putContainerArchive(docker, id, await tarArchive(options.files.files), options.files.dir);
    } catch (error) {
      await removeContainer(docker, id).catch(() => undefined);
      throw error;
    }
  }
  return id;
}

/**
 * Runs a helper around `job` (given the container's id once started) and removes it afterwards,
 * whatever happened. With `timeout`, the job fails with its error after that long, the helper killed.
 */
export async function withHelperContainer<T>(
  docker: DockerEngine,
  options: HelperOptions,
  job: (id: string) => Promise<T>,
  timeout?: { ms: number; error: () => Error },
): Promise<T> {
  const id = await createHelper(docker, options);
  try {
    await startContainer(docker, id);
    return await withTimeout(job(id), timeout, () => void killContainer(docker, id).catch(() => undefined));
  } finally {
    await removeContainer(docker, id).catch(() => undefined);
  }
}

/** Runs a one-shot helper to its end: its exit code and logs. */
export function runHelperContainer(
  docker: DockerEngine,
  options: HelperOptions,
  timeout?: { ms: number; error: () => Error },
): Promise<HelperResult> {
  return withHelperContainer(
    docker,
    options,
    async (id) => {
      const exitCode = await waitContainer(docker, id);
      const { stdout, stderr } = await readContainerLogs(docker, id);
      return { exitCode, stdout, stderr };
    },
    timeout,
  );
}

async function withTimeout<T>(
  work: Promise<T>,
  timeout: { ms: number; error: () => Error } | undefined,
  onTimeout: () => void,
): Promise<T> {
  if (!timeout) return work;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(timeout.error());
    }, timeout.ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** A running helper driven by execs: `sleep infinity` until removed. */
export interface HelperContainer {
  readonly id: string;
  /** Runs a shell script (arguments as $1...) and returns its output and exit code. */
  sh(script: string, args?: string[]): Promise<{ stdout: string; stderr: string; exitCode: number | null }>;
  /** A process whose stdin is the stream returned (write, then end()). */
  pipe(cmd: string[]): Promise<ExecStream>;
  /** Removes it (never fails). */
  remove(): Promise<void>;
}

/** Starts an exec-driven helper; the caller removes it (`remove()`, in a finally). */
export async function startHelperContainer(
  docker: DockerEngine,
  options: Omit<HelperOptions, 'entrypoint' | 'cmd'> & { scriptName?: string },
): Promise<HelperContainer> {
  const scriptName = options.scriptName ?? `windock-${options.purpose}`;
  const id = await createHelper(docker, { ...options, entrypoint: ['sleep', 'infinity'] });
  const remove = () =>
    removeContainer(docker, id).then(
      () => undefined,
      () => undefined,
    );
  try {
    await startContainer(docker, id);
  } catch (error) {
    await remove();
    throw error;
  }
  return {
    id,
    sh: (script, args = []) => execOutput(docker, id, ['sh', '-c', script, scriptName, ...args]),
    pipe: (cmd) => openExecStream(docker, id, cmd),
    remove,
  };
}
