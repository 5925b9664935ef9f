import { containerExists } from '../../docker/containers';
import { handOverSecrets } from '../../docker/vm-secrets';
import { inspectVolume } from '../../docker/volumes';
import { readContainerSpec } from '../../vm/volume-files';
import { windowsVmInputs } from './inputs';
import { vmSecrets, type HostContext } from './launch';
import { inputsOf, type WindowsVmOutputs } from './outputs';
import { identityOutputsOf } from './planned-identity';
import { statusSummary } from './status-summary';

/** Hands the VM's secret files to its running container again (from the state and its spec). */
async function handOverSecretsAgain(context: HostContext, old: WindowsVmOutputs): Promise<void> {
  const vm = windowsVmInputs.parse(inputsOf(old as unknown as Record<string, unknown>));
  const spec = await readContainerSpec(context.docker, old.containerName);
  await handOverSecrets(
    context.docker,
    old.containerName,
    vmSecrets(vm, spec, { consoleToken: old.consoleToken, sharePassword: old.sharePassword }),
  );
}

/** Refresh: the VM as its host has it now; a VM whose container and volume are both gone leaves the state. */
export async function readWindowsVm(context: HostContext, id: string, old: WindowsVmOutputs) {
  const volumeGone = (await inspectVolume(context.docker, old.volumeName)) === undefined;
  const exists = await containerExists(context.docker, old.containerName);
  if (volumeGone && !exists) return { id: '' }; // the VM and its disks are gone: it leaves the state
  const status = await statusSummary(context, old.containerName);
  const running = exists && !status.phase.startsWith('stopped') && status.phase !== 'missing';
  // Secrets live in the container's tmpfs: a start Docker made alone (a host reboot with
  // autostart) has none until they are handed over again, here.
  if (running) await handOverSecretsAgain(context, old);
  const outs: WindowsVmOutputs = {
    ...old,
    phase: volumeGone ? 'storage missing' : status.phase,
    activeAccelerator: status.accelerator || old.activeAccelerator,
    // Drift shows in the next preview as a change of powerState (a stopped or removed container).
    powerState: running ? 'running' : 'stopped',
    containerId: exists ? old.containerId : '',
  };
  const values = outs as unknown as Record<string, unknown>;
  return { id, props: outs, inputs: { ...inputsOf(values), ...identityOutputsOf(values) } };
}
