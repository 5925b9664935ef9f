import * as pulumi from '@pulumi/pulumi';
import { windowsSnapshotThinProvider } from './thin-provider';

type In<T> = pulumi.Input<T>;

export interface WindowsSnapshotArgs {
  /** The VM: its `vmUuid` output. A replaced VM is another VM: its snapshots go with it. */
  vm: In<string>;
  /** The VM's host (the same as the WindowsVm's); default "local". */
  host?: In<string>;
  /** The VM's `containerName` output. */
  containerName: In<string>;
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
      { name, ...args, ...outputs },
      opts,
      'windock',
      'WindowsSnapshot',
    );
  }
}
