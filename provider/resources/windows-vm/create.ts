import { containerExists } from '../../docker/containers';
import { removeContainer } from '../../docker/containers';
import { stopVmContainer } from '../../vm/power';
import { findAdoptable, type Adoptable } from './adopt';
import type { CloneBasesInFlight } from './clone-bases';
import { guestAddresses } from './guest-addresses';
import { halfMade, withProviderKey } from './half-made';
import { newIdentity, type VmIdentity } from './identity';
import { sweepIncompleteCreate } from './incomplete-create';
import type { WindowsVmInputs } from './inputs';
import {
  describeVm,
  launchVm,
  newConsoleToken,
  newSharePassword,
  type HostContext,
  type Launched,
} from './launch';
import { containerNameOf } from './naming';
import type { WindowsVmOutputs } from './outputs';
import { identityFromInputs } from './planned-identity';
import { statusSummary } from './status-summary';
import { startAndWait } from './wait-ready';
import type { CloneBase } from '../../vm/clone-base';

type VmChange = WindowsVmInputs & { changeImpact: string };

/** What a new VM's create decided before its container exists. */
interface NewVm {
  context: HostContext;
  vm: VmChange;
  identity: VmIdentity;
  consoleToken: string;
  sharePassword: string;
  clone?: CloneBase;
}

/** An adopted container makes way for the VM's own; a half-made earlier create is swept; the name must be free. */
async function clearTheWay(
  context: HostContext,
  vm: VmChange,
  adopted: Adoptable | undefined,
): Promise<void> {
  if (adopted?.container) {
    await stopVmContainer(context.docker, adopted.container, vm.timeouts.shutdownSeconds);
    await removeContainer(context.docker, adopted.container);
  }
  await sweepIncompleteCreate(context, containerNameOf(vm.name));
  if (await containerExists(context.docker, containerNameOf(vm.name))) {
    throw new Error(
      `a container named windock-${vm.name} already exists on host "${vm.host}" (another stack, or a VM left behind): ` +
        'choose another name for this VM, or remove the old one',
    );
  }
}

/** Waits for the new VM; a VM that does not get ready stays in state, half-made, with its outputs. */
async function waitOrKeepHalfMade(
  made: NewVm,
  launched: Launched,
  inputs: Record<string, unknown>,
): Promise<void> {
  try {
    await startAndWait(made.context, made.vm, launched);
  } catch (error) {
    const outs = await describeVm(made.context, made.vm, made.identity, launched, {
      cloneBase: made.clone,
      consoleToken: made.consoleToken,
      sharePassword: made.sharePassword,
      phase: 'failed',
      accelerator: '',
      restartPending: false,
    });
    throw halfMade(error, made.identity.uuid, withProviderKey(outs, inputs));
  }
}

/** The outputs of a VM as it runs now: status, guest addresses and what Docker made. */
async function describeNewVm(made: NewVm, launched: Launched): Promise<WindowsVmOutputs> {
  const { context, vm } = made;
  const status = await statusSummary(context, launched.containerId);
  const addresses =
    vm.powerState === 'running' && vm.guestAgent ? await guestAddresses(context, launched.containerId) : [];
  return describeVm(context, vm, made.identity, launched, {
    cloneBase: made.clone,
    consoleToken: made.consoleToken,
    sharePassword: made.sharePassword,
    ...status,
    restartPending: false,
    guestAddresses: addresses,
  });
}

/** A new VM: adopted storage or a new volume, its container, and (when it should run) a wait for readiness. */
export async function createWindowsVm(
  context: HostContext,
  cloneBases: CloneBasesInFlight,
  vm: VmChange,
  inputs: Record<string, unknown>,
): Promise<{ id: string; outs: WindowsVmOutputs }> {
  const adopted = vm.adopt ? await findAdoptable(context, vm.adopt) : undefined;
  await clearTheWay(context, vm, adopted);
  const made: NewVm = {
    context,
    vm,
    identity: adopted?.identity ?? identityFromInputs(inputs) ?? newIdentity(),
    consoleToken: newConsoleToken(),
    sharePassword: newSharePassword(),
  };
  made.clone = vm.cloneFrom ? await cloneBases.shared(context, vm.cloneFrom) : undefined;
  const launched = await launchVm(context, vm, made.identity, {
    consoleToken: made.consoleToken,
    sharePassword: made.sharePassword,
    knownHostPorts: {},
    firstStart: !adopted,
    volumeName: adopted?.volumeName,
    adopting: adopted !== undefined,
    clone: made.clone,
  });
  await waitOrKeepHalfMade(made, launched, inputs);
  return { id: made.identity.uuid, outs: await describeNewVm(made, launched) };
}
