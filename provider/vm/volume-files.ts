import { getContainerArchive, putContainerArchive } from '../docker/archives';
import { requireContainer } from '../docker/containers';
import type { DockerEngine } from '../docker/engine';
import { runHelperContainer } from '../docker/helper-container';
import { tarArchive, untarFiles } from '../docker/spec-archive';
import { CONTAINER_PATHS, parseVmSpec, type VmSpec } from '../../contract';
import { execOutput } from '../docker/exec-output';

/**
 * Files of a VM's container and storage volume, whether the container runs or not: Docker's
 * archive API (`docker cp`) reaches a stopped container's volumes too. What needs a program
 * (qemu-img, rm) runs in the container when it runs, else in a short-lived helper container of
 * the same image on the same volume (`runVolumeTool`).
 */

/** One file out of the container, or undefined when it does not exist. */
export async function readContainerFile(
  docker: DockerEngine,
  container: string,
  path: string,
): Promise<Buffer | undefined> {
  const archive = await getContainerArchive(docker, container, path);
  if (!archive) return undefined;
  const files = await untarFiles(archive);
  return files.values().next().value;
}

/** Every regular file of a directory (one level), by name; empty when the directory is missing. */
export async function readContainerDir(
  docker: DockerEngine,
  container: string,
  dir: string,
): Promise<Map<string, Buffer>> {
  const archive = await getContainerArchive(docker, container, dir);
  if (!archive) return new Map();
  const byName = new Map<string, Buffer>();
  for (const [name, content] of await untarFiles(archive)) {
    const parts = name.split('/').filter(Boolean);
    if (parts.length === 2) byName.set(parts[1]!, content);
  }
  return byName;
}

/** Writes files under /storage (paths relative to it); directories are made as needed. */
export async function writeStorageFiles(
  docker: DockerEngine,
  container: string,
  files: Array<{ path: string; content: string | Buffer }>,
): Promise<void> {
  await putContainerArchive(
    docker,
    container,
    await tarArchive(files.map((f) => ({ ...f, mode: 0o600 }))),
    CONTAINER_PATHS.storage,
  );
}

/** The VM spec the container was created with. */
export async function readContainerSpec(docker: DockerEngine, container: string): Promise<VmSpec> {
  const raw = await readContainerFile(docker, container, CONTAINER_PATHS.spec);
  if (!raw)
    throw new Error(`container ${container} has no VM spec at ${CONTAINER_PATHS.spec}: is it a windock VM?`);
  return parseVmSpec(JSON.parse(raw.toString('utf8')));
}

export async function isRunning(docker: DockerEngine, container: string): Promise<boolean> {
  return (await requireContainer(docker, container)).State.Running;
}

export interface ToolResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

export interface VolumeMount {
  volume: string;
  target: string;
  readOnly?: boolean;
}

/**
 * Runs a shell script with the VM's storage at /storage: inside the VM's container when it
 * runs, else in a helper container of the same image (no network, no capabilities) that is
 * removed afterwards. `extraMounts` are only for the helper (the VM's container cannot gain
 * mounts): pass them only when the container is known to be stopped, or use `runHelper`.
 */
export async function runVolumeTool(
  docker: DockerEngine,
  container: string,
  script: string,
  args: string[] = [],
): Promise<ToolResult> {
  const info = await requireContainer(docker, container);
  if (info.State.Running) return execOutput(docker, container, ['sh', '-c', script, 'windock-tool', ...args]);
  const volume = info.Mounts.find((m) => m.Destination === CONTAINER_PATHS.storage)?.Name;
  if (!volume) throw new Error(`container ${container} has no storage volume`);
  // Its other volumes too, read-only: an overlay disk's base (a clone base, the image cache) must open.
  const others = info.Mounts.filter(
    (m) => m.Type === 'volume' && m.Name && m.Destination !== CONTAINER_PATHS.storage,
  ).map((m) => ({ volume: m.Name!, target: m.Destination, readOnly: true }));
  return runHelper(
    docker,
    info.Config.Image,
    [{ volume, target: CONTAINER_PATHS.storage }, ...others],
    script,
    args,
  );
}

/** A short-lived helper container of the windock image with the given volumes; removed afterwards. */
export async function runHelper(
  docker: DockerEngine,
  image: string,
  mounts: VolumeMount[],
  script: string,
  args: string[] = [],
): Promise<ToolResult> {
  const { exitCode, stdout, stderr } = await runHelperContainer(docker, {
    image,
    purpose: 'volume-tool',
    entrypoint: ['sh', '-c', script, 'windock-tool', ...args],
    mounts: mounts.map((m) => ({
      type: 'volume',
      source: m.volume,
      target: m.target,
      readOnly: m.readOnly ?? false,
    })),
  });
  return { stdout, stderr, exitCode };
}

/** Runs a tool and fails with its stderr when it exits non-zero. */
export async function mustRun(result: Promise<ToolResult>, what: string): Promise<string> {
  const done = await result;
  if (done.exitCode !== 0)
    throw new Error(`${what} failed (exit ${done.exitCode}): ${done.stderr.trim() || done.stdout.trim()}`);
  return done.stdout;
}
