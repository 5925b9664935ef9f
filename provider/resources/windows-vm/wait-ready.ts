import { downloadProgressLogger } from '../../media/progress-log';
import { waitForReadiness } from '../../vm/readiness';
import type { WindowsVmInputs } from './inputs';
import type { HostContext, Launched } from './launch';

/** Tests shorten the progress lines' interval (WINDOCK_PROGRESS_INTERVAL_MS); users get 30 s. */
function progressIntervalMs(): number | undefined {
  const value = Number(process.env.WINDOCK_PROGRESS_INTERVAL_MS);
  return value > 0 ? value : undefined;
}

/** Waits for a VM that should run to reach its readiness level, printing progress. */
export async function startAndWait(
  context: HostContext,
  vm: WindowsVmInputs,
  launched: Launched,
): Promise<void> {
  if (vm.powerState !== 'running') return;
  await waitForReadiness(
    context.docker,
    launched.containerId,
    vm.readiness,
    vm.timeouts.createSeconds * 1000,
    downloadProgressLogger(vm.name),
    { vmName: vm.name, timeoutInput: 'timeouts.createSeconds', progressIntervalMs: progressIntervalMs() },
  );
}
