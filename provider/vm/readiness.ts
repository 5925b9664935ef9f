import { dockerLogText } from '../docker/log-frames';
import type Dockerode from 'dockerode';
import { setTimeout as sleep } from 'node:timers/promises';
import type { VmStatus } from '../spec';
import { describeExit } from './exit-codes';
import { readVmStatus } from './status';

export type ReadinessLevel = 'container' | 'qemu' | 'agent' | 'beacon';

/** Wait strategies, one per level: each says whether a status satisfies it. */
const SATISFIED: Record<ReadinessLevel, (status: VmStatus | undefined) => boolean> = {
  container: () => true,
  // An unfinished install runs QEMU in phase "installing" (Windows Setup) until its beacon.
  qemu: (status) => status?.phase === 'running' || status?.phase === 'installing',
  agent: (status) => status?.phase === 'running' && status.guest.agent,
  beacon: (status) => status?.phase === 'running' && status.guest.beacon,
};

export class ReadinessError extends Error {
  constructor(
    message: string,
    readonly lastStatus: VmStatus | undefined,
  ) {
    super(message);
    this.name = 'ReadinessError';
  }
}

async function logTail(container: Dockerode.Container): Promise<string> {
  const raw = (await container
    .logs({ stdout: true, stderr: true, tail: 20 })
    .catch(() => Buffer.alloc(0))) as unknown as Buffer;
  return dockerLogText(raw).trim();
}

/**
 * Waits until the VM reaches the readiness level, or fails fast with the reason when the
 * container exits or the supervisor reports a failure.
 */
export async function waitForReadiness(
  docker: Dockerode,
  containerId: string,
  level: ReadinessLevel,
  timeoutMs: number,
  /** Called with each status read (download progress is shown from it). */
  onStatus?: (status: VmStatus) => void,
): Promise<VmStatus | undefined> {
  const container = docker.getContainer(containerId);
  const deadline = Date.now() + timeoutMs;
  let status: VmStatus | undefined;
  for (;;) {
    const state = (await container.inspect()).State;
    // Restarting: the supervisor exited and Docker's restart policy brings it back, in a loop.
    if (!state.Running || state.Restarting) {
      throw new ReadinessError(
        `the VM's container stopped (exit ${state.ExitCode}: ${describeExit(state.ExitCode)}). Last log lines:\n${await logTail(container)}`,
        status,
      );
    }
    status = await readVmStatus(docker, containerId).catch(() => status);
    if (status && onStatus) onStatus(status);
    if (status?.phase === 'failed') {
      throw new ReadinessError(`the VM failed at ${status.error?.step}: ${status.error?.message}`, status);
    }
    if (SATISFIED[level](status)) return status;
    if (Date.now() > deadline) {
      throw new ReadinessError(
        `the VM did not reach readiness "${level}" within ${Math.round(timeoutMs / 1000)} s (phase: ${status?.phase ?? 'unknown'})`,
        status,
      );
    }
    await sleep(500);
  }
}
