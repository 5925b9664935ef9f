import * as pulumi from '@pulumi/pulumi';
import { windowsSnapshotThinProvider } from './thin-provider';
import { WindowsVm } from './windows-vm';

type In<T> = pulumi.Input<T>;

/** Which VM: the WindowsVm itself (its UUID, container and host are read from it). */
interface OfVm {
  vm: WindowsVm;
  host?: never;
  containerName?: never;
}

/** Which VM, by its outputs: `vmUuid`, `containerName` and the same `host` as the WindowsVm's. */
interface OfVmOutputs {
  /** The VM's `vmUuid` output. A replaced VM is another VM: its snapshots go with it. */
  vm: In<string>;
  /** The VM's host (the same as the WindowsVm's); default "local". */
  host?: In<string>;
  /** The VM's `containerName` output. */
  containerName: In<string>;
}

export type WindowsSnapshotArgs = (OfVm | OfVmOutputs) & {
  /** The snapshot's name in the VM (default: the resource name). Replace tier. */
  name?: In<string>;
  /**
   * With RAM, device and TPM state (default true): a restore resumes the running guest, and the
   * VM pauses only while saving. false: the disks only (file systems frozen through the guest
   * agent), restored by a restart. Replace tier.
   */
  memory?: In<boolean>;
  /** Free text kept with the snapshot. State only. */
  description?: In<string>;
};

/** The VM's identity, host and container, from the WindowsVm or as given. */
function vmOf(args: WindowsSnapshotArgs): { vm: In<string>; host?: In<string>; containerName: In<string> } {
  if (args.vm instanceof WindowsVm)
    return { vm: args.vm.vmUuid, host: args.vm.host, containerName: args.vm.containerName };
  const given = args as OfVmOutputs;
  return { vm: given.vm, host: given.host, containerName: given.containerName };
}

/**
 * A named snapshot of a WindowsVm: disks, UEFI variables and (with memory) RAM, devices and the
 * TPM, captured together, with the hardware config it pins. Deleting it frees its space.
 */
export class WindowsSnapshot extends pulumi.dynamic.Resource {
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly vmStateBytes: pulumi.Output<number>;
  declare readonly hardware: pulumi.Output<Record<string, unknown>>;
  declare readonly hardwareHash: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;

  constructor(name: string, args: WindowsSnapshotArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      createdAt: undefined,
      vmStateBytes: undefined,
      hardware: undefined,
      hardwareHash: undefined,
      specHash: undefined,
      stateVersion: undefined,
    };
    super(
      windowsSnapshotThinProvider,
      name,
      { name, ...args, ...vmOf(args), ...outputs },
      opts,
      'windock',
      'WindowsSnapshot',
    );
  }
}
