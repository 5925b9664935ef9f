// WindowsSnapshot's inputs and outputs for the SDK, generated from its zod schemas (the source of
// schema.json) by `npm run schema`; do not edit. provider/schema/sdk-types.test.ts fails when this
// file is stale, and sdk/types-agree.ts does not compile when its types differ from zod's.
import * as pulumi from '@pulumi/pulumi';

type In<T> = pulumi.Input<T>;

/** The inputs of WindowsSnapshot, as the program passes them. */
export interface WindowsSnapshotArgs {
  /**
   * The VM's UUID (its WindowsVm's vmUuid output): a replaced VM is another VM, and takes its
   * snapshots with it. Replace tier.
   */
  vm: In<string>;
  /**
   * The VM's host (the same as its WindowsVm's), from the windock:hosts stack config. Replace tier.
   * @default "local"
   */
  host?: In<string>;
  /** The VM's container (its WindowsVm's containerName output). Replace tier. */
  containerName: In<string>;
  /**
   * The snapshot's name in the VM (QEMU's tag); the SDK's default: the resource name. Replace tier.
   */
  name?: In<string>;
  /**
   * With RAM, device and TPM state: a restore resumes the running guest, and the VM pauses only
   * while saving. false: the disks only (file systems frozen through the guest agent), restored by
   * a restart. Replace tier.
   * @default true
   */
  memory?: In<boolean>;
  /**
   * Free text kept with the snapshot. State only.
   * @default ""
   */
  description?: In<string>;
}

/** The outputs WindowsSnapshot computes (beside its inputs, which it echoes). */
export abstract class WindowsSnapshotOutputs extends pulumi.dynamic.Resource {
  /** Version of the state shape. */
  declare readonly stateVersion: pulumi.Output<number>;
  /** When it was taken. */
  declare readonly createdAt: pulumi.Output<string>;
  /** RAM/device state bytes (0 for a disk-only snapshot). */
  declare readonly vmStateBytes: pulumi.Output<number>;
  /** The hardware it pins (checked before every restore). */
  declare readonly hardware: pulumi.Output<Record<string, unknown>>;
  /** Hash of that hardware. */
  declare readonly hardwareHash: pulumi.Output<string>;
  /** Hash of the VM spec at the time. */
  declare readonly specHash: pulumi.Output<string>;
}

/** Their names: the SDK registers each, so that each is an output of the resource. */
export const windowsSnapshotOutputNames = ["stateVersion","createdAt","vmStateBytes","hardware","hardwareHash","specHash"] as const;
