import type Dockerode from 'dockerode';
import { requireContainer } from '../docker/containers';
import { readContainerLogs } from '../docker/logs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { VmStatus } from '../../contract';
import { describeExit } from './exit-codes';
import { consoleBlock } from './console-tail';
import { readGuestActivity } from './guest-activity';
import { readVmStatus } from './status';
import { stuckWatch } from './stuck';
import { timeoutMessage } from './timeout-message';
import { waitProgress } from './wait-progress';

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

export interface WaitOptions {
  /** The VM's name, in progress lines and failures (default: the container). */
  vmName?: string;
  /** The input that sets the timeout, named in the timeout's message with how to change it. */
  timeoutInput?: string;
  /** Progress lines and liveness samples (default 30 s). */
  progressIntervalMs?: number;
  /** How long nothing may move before the boot counts as stuck (stuck.ts, default 10 min). */
  stuckAfterMs?: number;
  write?: (line: string) => void;
}

async function logTail(docker: Dockerode, containerId: string): Promise<string> {
  const logs = await readContainerLogs(docker, containerId, { tail: 20 }).catch(() => undefined);
  return (logs?.text ?? '').trim();
}

/**
 * Waits until the VM reaches the readiness level, or fails fast with the reason when the
 * container exits, the supervisor reports a failure (a guest panic included) or the boot is stuck.
 * Every interval it writes a progress line: phase, elapsed time, the console's last line.
 */
export async function waitForReadiness(
  docker: Dockerode,
  containerId: string,
  level: ReadinessLevel,
  timeoutMs: number,
  /** Called with each status read (download progress is shown from it). */
  onStatus?: (status: VmStatus) => void,
  options: WaitOptions = {},
): Promise<VmStatus | undefined> {
  const vm = `VM "${options.vmName ?? containerId}"`;
  const deadline = Date.now() + timeoutMs;
  const progress = waitProgress({
    ...options,
    vmName: options.vmName ?? containerId,
    level,
    intervalMs: options.progressIntervalMs,
  });
  const stuck = stuckWatch(options.stuckAfterMs);
  const withConsole = async (message: string, status: VmStatus | undefined) => {
    const activity = await readGuestActivity(docker, containerId, status?.qemuPid);
    return new ReadinessError(`${vm}: ${message}\n${consoleBlock(activity.consoleTail)}`, status);
  };
  let status: VmStatus | undefined;
  for (;;) {
    const state = (await requireContainer(docker, containerId)).State;
    // Restarting: the supervisor exited and Docker's restart policy brings it back, in a loop.
    if (!state.Running || state.Restarting) {
      throw new ReadinessError(
        `${vm}: the VM's container stopped (exit ${state.ExitCode}: ${describeExit(state.ExitCode)}). Last log lines:\n${await logTail(docker, containerId)}`,
        status,
      );
    }
    status = await readVmStatus(docker, containerId).catch(() => status);
    if (status && onStatus) onStatus(status);
    if (status?.phase === 'failed') {
      throw await withConsole(`the VM failed at ${status.error?.step}: ${status.error?.message}`, status);
    }
    if (SATISFIED[level](status)) return status;
    if (Date.now() > deadline) {
      throw await withConsole(
        timeoutMessage(level, timeoutMs, status?.phase ?? 'unknown', options.timeoutInput),
        status,
      );
    }
    if (progress.due()) {
      const activity = await readGuestActivity(docker, containerId, status?.qemuPid);
      progress.report(status, activity.consoleTail.at(-1));
      const stuckReason = stuck(Date.now(), status, activity);
      if (stuckReason)
        throw new ReadinessError(`${vm}: ${stuckReason}\n${consoleBlock(activity.consoleTail)}`, status);
    }
    await sleep(500);
  }
}
