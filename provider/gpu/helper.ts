import type { DockerEngine } from '../docker/engine';
import { runHelperContainer, type HelperResult } from '../docker/helper-container';
import { discoverGpus, type HostGpuInventory } from './discover';
import { renderScript, type SysfsWrite } from './host-steps';
import { NVIDIA_SMI_ARGS, parseNvidiaSmi, type NvidiaSmiGpu } from './nvidia-smi';
import { parseSysfsDump, SYSFS_DUMP_SCRIPT } from './sysfs-source';

/** How GPU work reaches one host: its engine, an image it has, and where its sysfs is. */
export interface GpuHostAccess {
  docker: DockerEngine;
  /** The host's name in the windock:hosts config (for messages). */
  hostName: string;
  /** An image the host has (the windock image): helpers and reservation locks are made from it. */
  image: string;
  /** The host's sysfs: /sys, or a synthetic tree in tests (windock:gpuSysfsRoot). */
  sysfsRoot: string;
}

const HOST_SYS = '/host/sys';
const HELPER_TIMEOUT_MS = 60_000;

export type { HelperResult };

/**
 * A short-lived helper container on the host: no network, every capability dropped, no new
 * privileges, the host's sysfs bound at /host/sys (read-only unless `writable`), removed
 * afterwards. Root in the container may write sysfs attributes because it owns them (plain
 * file permissions: no capability is needed), and only when the user opted in (bindVfio).
 */
export async function runGpuHelper(
  access: GpuHostAccess,
  options: { entrypoint: string[]; writable?: boolean; nvidia?: boolean; timeoutMs?: number },
): Promise<HelperResult> {
  const timeoutMs = options.timeoutMs ?? HELPER_TIMEOUT_MS;
  return runHelperContainer(
    access.docker,
    {
      image: access.image,
      purpose: 'gpu',
      entrypoint: options.entrypoint,
      mounts: [{ type: 'bind', source: access.sysfsRoot, target: HOST_SYS, readOnly: !options.writable }],
      ...(options.nvidia
        ? { deviceRequests: [{ Driver: 'nvidia', Count: -1, Capabilities: [['utility']] }] }
        : {}),
    },
    {
      ms: timeoutMs,
      error: () =>
        new Error(
          `the GPU helper container on host "${access.hostName}" did not finish within ${timeoutMs / 1000} s`,
        ),
    },
  );
}

/**
 * nvidia-smi's view of the host, through a helper that asks the NVIDIA container runtime for
 * the utility capability (which mounts nvidia-smi in). Undefined where there is no such
 * runtime or nvidia-smi fails: discovery then stands on sysfs alone.
 */
export async function readNvidiaSmi(access: GpuHostAccess): Promise<NvidiaSmiGpu[] | undefined> {
  try {
    const result = await runGpuHelper(access, {
      entrypoint: ['nvidia-smi', ...NVIDIA_SMI_ARGS],
      nvidia: true,
      timeoutMs: 30_000,
    });
    return result.exitCode === 0 ? parseNvidiaSmi(result.stdout) : undefined;
  } catch {
    return undefined;
  }
}

/** Discovery on a host: its sysfs through a read-only helper, and nvidia-smi where an NVIDIA GPU is on the nvidia driver. */
export async function readHostInventory(access: GpuHostAccess): Promise<HostGpuInventory> {
  let result: HelperResult;
  try {
    result = await runGpuHelper(access, {
      entrypoint: ['sh', '-c', SYSFS_DUMP_SCRIPT, 'windock-gpu', '/host/sys'],
    });
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) {
      throw new Error(
        `the image "${access.image}" is not on host "${access.hostName}": GPU discovery runs a helper container of it; build it there (scripts/setup.sh) or set windock:image`,
        { cause: error },
      );
    }
    throw error;
  }
  if (result.exitCode !== 0)
    throw new Error(
      `reading sysfs on host "${access.hostName}" failed (exit ${result.exitCode}): ${result.stderr.trim()}`,
    );
  const sysfs = parseSysfsDump(result.stdout);
  const bare = discoverGpus(sysfs);
  const wantsNvidia = bare.functions.some((f) => f.vendor === 'nvidia' && f.driver === 'nvidia');
  return wantsNvidia ? discoverGpus(sysfs, await readNvidiaSmi(access)) : bare;
}

/** Makes sysfs writes on the host through a writable helper; fails naming the write that failed. */
export async function applySysfsWrites(
  access: GpuHostAccess,
  writes: SysfsWrite[],
  what: string,
): Promise<void> {
  if (writes.length === 0) return;
  const result = await runGpuHelper(access, {
    entrypoint: ['sh', '-c', renderScript(writes), 'windock-gpu', HOST_SYS],
    writable: true,
  });
  if (result.exitCode !== 0 || !result.stdout.includes('DONE')) {
    throw new Error(
      `${what} on host "${access.hostName}" failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`,
    );
  }
}
