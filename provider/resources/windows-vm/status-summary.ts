import { requireContainer } from '../../docker/containers';
import { isNotFound } from '../../docker/errors';
import { describeExit } from '../../vm/exit-codes';
import { readVmStatus } from '../../vm/status';
import type { HostContext } from './launch';

export interface StatusSummary {
  phase: string;
  accelerator: string;
}

/** The VM's phase and accelerator as its container and supervisor report them (outputs phase, activeAccelerator). */
export async function statusSummary(context: HostContext, containerId: string): Promise<StatusSummary> {
  try {
    const info = await requireContainer(context.docker, containerId);
    if (!info.State.Running)
      return {
        phase: info.State.Status === 'created' ? 'stopped' : `stopped (${describeExit(info.State.ExitCode)})`,
        accelerator: '',
      };
    const status = await readVmStatus(context.docker, containerId);
    return { phase: status?.phase ?? 'starting', accelerator: status?.accelerator ?? '' };
  } catch (error) {
    if (isNotFound(error)) return { phase: 'missing', accelerator: '' };
    throw error;
  }
}
