// GpuAssignment's inputs and outputs for the SDK, generated from its zod schemas (the source of
// schema.json) by `npm run schema`; do not edit. provider/schema/sdk-types.test.ts fails when this
// file is stale, and sdk/types-agree.ts does not compile when its types differ from zod's.
import * as pulumi from '@pulumi/pulumi';

type In<T> = pulumi.Input<T>;

/**
 * Which GPU of the host: exactly one of a PCI address, an index (PCI order among the host's GPUs)
 * or an NVIDIA UUID.
 */
export type GpuSelector = {
  /**
   * "0000:01:00.0" or "01:00.0" (lspci's form); an SR-IOV virtual function's address passes that
   * function.
   */
  pciAddress: In<string>;
} | {
  /**
   * Position among the host's GPUs in PCI address order (lspci order; nvidia-smi's numbering can
   * differ).
   */
  index: In<number>;
} | {
  /**
   * An NVIDIA UUID ("GPU-..."), as nvidia-smi -L prints it (needs the NVIDIA container toolkit on
   * the host).
   */
  uuid: In<string>;
};

/** The inputs of GpuAssignment, as the program passes them. */
export interface GpuAssignmentArgs {
  /**
   * A host from the windock:hosts stack config; "local" is the local Docker engine.
   * @default "local"
   */
  host?: In<string>;
  /**
   * The VM this GPU is for: its name on the host (WindowsVm `name`). Only that VM can use the
   * assignment.
   */
  vm: In<string>;
  /**
   * Which GPU of the host: exactly one of a PCI address, an index (PCI order among the host's GPUs)
   * or an NVIDIA UUID.
   */
  select: In<GpuSelector>;
  /** Pass this SR-IOV virtual function of the GPU instead of the whole GPU. */
  virtualFunction?: In<number>;
  /**
   * Pass a mediated device (vGPU profile, e.g. "nvidia-63" or its name "GRID T4-1Q") of this type,
   * made on the GPU (or its virtualFunction).
   */
  mdevType?: In<string>;
  /** The mediated device's UUID; default: derived from host, VM, device and type (stable). */
  mdevUuid?: In<string>;
  /**
   * Let windock bind the functions to vfio-pci (or create the mediated device) through a
   * short-lived helper container, and undo it on delete. Off: preview prints the exact host
   * commands instead.
   * @default false
   */
  bindVfio?: In<boolean>;
  /** A ROM file on the Docker host for the GPU (bind-mounted read-only into the VM's container). */
  romFile?: In<string>;
  /**
   * Make the GPU the guest's primary display (x-vga; QEMU's emulated VGA is removed).
   * @default false
   */
  primaryDisplay?: In<boolean>;
  /**
   * Labels recorded in state: the one input whose change does not replace the assignment.
   * @default {}
   */
  labels?: In<Record<string, In<string>>>;
}

/** The outputs GpuAssignment computes (beside its inputs, which it echoes). */
export abstract class GpuAssignmentOutputs extends pulumi.dynamic.Resource {
  /** Version of the state shape. */
  declare readonly stateVersion: pulumi.Output<number>;
  /** The id WindowsVm's gpu input takes. */
  declare readonly assignmentId: pulumi.Output<string>;
  /** The reserved device: the GPU, its virtual function, or the mediated device's parent. */
  declare readonly pciAddress: pulumi.Output<string>;
  /** The physical GPU. */
  declare readonly parentAddress: pulumi.Output<string>;
  /** whole GPU, virtual function or mediated device. */
  declare readonly mode: pulumi.Output<string>;
  /** NVIDIA, AMD, Intel or the PCI vendor id. */
  declare readonly vendor: pulumi.Output<string>;
  /** The model, from nvidia-smi or the PCI ids. */
  declare readonly model: pulumi.Output<string>;
  /** What is locked on the host: PCI functions, or the mediated device's UUID. */
  declare readonly targets: pulumi.Output<string[]>;
  /** IOMMU groups of the passed functions. */
  declare readonly iommuGroups: pulumi.Output<string[]>;
  /** The mediated device's UUID, when one is used. */
  declare readonly resolvedMdevUuid: pulumi.Output<string>;
  /** Drivers the functions were on before windock bound them to vfio-pci (restored on delete). */
  declare readonly driversBefore: pulumi.Output<Record<string, string>>;
  /** What windock changed on the host, undone on delete. */
  declare readonly hostChanges: pulumi.Output<string[]>;
  /** The lock objects on the host that make the reservation exclusive. */
  declare readonly lockContainers: pulumi.Output<string[]>;
  /** The device as the VM spec receives it. */
  declare readonly device: pulumi.Output<{
    kind: 'pci';
    id: string;
    functions: Array<{
      address: string;
      iommuGroup: string;
    }>;
    rom?: {
      hostFile: string;
      file: string;
    };
    primaryDisplay: boolean;
  } | {
    kind: 'mdev';
    id: string;
    uuid: string;
    iommuGroup: string;
    primaryDisplay: boolean;
  } | null>;
  /** "reserved", or "lost" when refresh found the lock gone (the next up takes it again). */
  declare readonly reservation: pulumi.Output<string>;
  /** Warnings from preflight. */
  declare readonly warnings: pulumi.Output<string[]>;
}

/** Their names: the SDK registers each, so that each is an output of the resource. */
export const gpuAssignmentOutputNames = ["stateVersion","assignmentId","pciAddress","parentAddress","mode","vendor","model","targets","iommuGroups","resolvedMdevUuid","driversBefore","hostChanges","lockContainers","device","reservation","warnings"] as const;
