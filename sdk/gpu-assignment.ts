import * as pulumi from '@pulumi/pulumi';
import { gpuAssignmentThinProvider } from './thin-provider';

type In<T> = pulumi.Input<T>;

/** Which GPU of the host: exactly one of these. */
export type GpuSelector =
  /** "0000:01:00.0" or "01:00.0" (lspci's form); an SR-IOV virtual function's address passes that function. */
  | { pciAddress: In<string> }
  /** Position among the host's GPUs in PCI address order (lspci order; nvidia-smi's numbering can differ). */
  | { index: In<number> }
  /** An NVIDIA UUID ("GPU-..."), as nvidia-smi -L prints it (needs the NVIDIA container toolkit on the host). */
  | { uuid: In<string> };

export interface GpuAssignmentArgs {
  /** A host from the `windock:hosts` stack config; default "local". */
  host?: In<string>;
  /** The VM this GPU is for: its name on the host (WindowsVm `name`). Only that VM can use it. */
  vm: In<string>;
  select: In<GpuSelector>;
  /** Pass this SR-IOV virtual function of the GPU instead of the whole GPU. */
  virtualFunction?: In<number>;
  /** Pass a mediated device (vGPU profile, e.g. "nvidia-63" or its name "GRID T4-1Q") made on the GPU. */
  mdevType?: In<string>;
  /** The mediated device's UUID (default: stable, derived from host, VM, device and type). */
  mdevUuid?: In<string>;
  /**
   * Let windock bind the GPU's functions to vfio-pci (or create the mediated device) on the host
   * through a short-lived helper container, undone on delete. Default false: preview prints the
   * exact host commands instead.
   */
  bindVfio?: In<boolean>;
  /** A ROM file on the Docker host for the GPU (read-only in the VM's container). */
  romFile?: In<string>;
  /** The GPU is the guest's primary display (x-vga; QEMU's emulated VGA is removed). */
  primaryDisplay?: In<boolean>;
  labels?: In<Record<string, In<string>>>;
}

/**
 * A host-level reservation of one GPU for one VM. Exclusive per host, across stacks and
 * concurrent `pulumi up`s: the reservation is a Docker object on the host whose creation only
 * one can win. Give its `id` to `WindowsVm`'s `gpu` (restart tier). Every input but `labels`
 * replaces the assignment (remove `gpu` from the VM first: an assignment in use is not released).
 */
export class GpuAssignment extends pulumi.dynamic.Resource {
  declare readonly assignmentId: pulumi.Output<string>;
  declare readonly pciAddress: pulumi.Output<string>;
  declare readonly parentAddress: pulumi.Output<string>;
  declare readonly mode: pulumi.Output<string>;
  declare readonly vendor: pulumi.Output<string>;
  declare readonly model: pulumi.Output<string>;
  declare readonly targets: pulumi.Output<string[]>;
  declare readonly iommuGroups: pulumi.Output<string[]>;
  declare readonly resolvedMdevUuid: pulumi.Output<string>;
  declare readonly driversBefore: pulumi.Output<Record<string, string>>;
  declare readonly hostChanges: pulumi.Output<string[]>;
  declare readonly lockContainers: pulumi.Output<string[]>;
  declare readonly reservation: pulumi.Output<string>;
  declare readonly warnings: pulumi.Output<string[]>;

  constructor(name: string, args: GpuAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      assignmentId: undefined,
      pciAddress: undefined,
      parentAddress: undefined,
      mode: undefined,
      vendor: undefined,
      model: undefined,
      targets: undefined,
      iommuGroups: undefined,
      resolvedMdevUuid: undefined,
      driversBefore: undefined,
      hostChanges: undefined,
      lockContainers: undefined,
      reservation: undefined,
      warnings: undefined,
    };
    const owner = `${pulumi.getProject()}/${pulumi.getStack()}`;
    super(
      gpuAssignmentThinProvider,
      name,
      { name, owner, ...args, ...outputs },
      opts,
      'windock',
      'GpuAssignment',
    );
  }
}
