import * as pulumi from '@pulumi/pulumi';
import {
  WindowsSnapshotOutputs,
  windowsSnapshotOutputNames,
  type WindowsSnapshotArgs as SnapshotInputs,
} from './generated/windows-snapshot';
import { windowsSnapshotThinProvider } from './thin-provider';
import { WindowsVm } from './windows-vm';

type In<T> = pulumi.Input<T>;

/** The inputs that say which VM (generated with the others from the provider's zod schema). */
type VmFields = 'vm' | 'host' | 'containerName';

/** Which VM: the WindowsVm itself (its UUID, container and host are read from it). */
interface OfVm {
  vm: WindowsVm;
  host?: never;
  containerName?: never;
}

/** Which VM, by its outputs: `vmUuid`, `containerName` and the same `host` as the WindowsVm's. */
type OfVmOutputs = Pick<SnapshotInputs, VmFields>;

export type WindowsSnapshotArgs = (OfVm | OfVmOutputs) & Omit<SnapshotInputs, VmFields>;

/** The VM's identity, host and container, from the WindowsVm or as given. */
function vmOf(args: WindowsSnapshotArgs): { vm: In<string>; host?: In<string>; containerName: In<string> } {
  if (args.vm instanceof WindowsVm)
    return { vm: args.vm.vmUuid, host: args.vm.host, containerName: args.vm.containerName };
  const given = args as OfVmOutputs;
  return { vm: given.vm, host: given.host, containerName: given.containerName };
}

/** Every computed output, registered (undefined) so that each is an output of the resource. */
function outputSlots(): Record<string, undefined> {
  return Object.fromEntries(windowsSnapshotOutputNames.map((key) => [key, undefined]));
}

/**
 * A named snapshot of a WindowsVm: disks, UEFI variables and (with memory) RAM, devices and the
 * TPM, captured together, with the hardware config it pins. Deleting it frees its space.
 */
export class WindowsSnapshot extends WindowsSnapshotOutputs {
  /** The snapshot's name in the VM. */
  declare readonly name: pulumi.Output<string>;

  constructor(name: string, args: WindowsSnapshotArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      windowsSnapshotThinProvider,
      name,
      { name, ...args, ...vmOf(args), ...outputSlots() },
      opts,
      'windock',
      'WindowsSnapshot',
    );
  }
}
