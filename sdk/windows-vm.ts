import * as pulumi from '@pulumi/pulumi';
import { defaultVmName } from './default-vm-name';
import { windowsVmThinProvider } from './thin-provider';

type In<T> = pulumi.Input<T>;

/** Media the VM boots from. Install-time: changing it replaces the VM. */
export type WindowsVmMedia =
  | {
      /** A Linux kernel, initrd and disk image booted directly (the stand-in guest where Windows cannot run). */
      kind: 'kernel';
      kernelFile: In<string>;
      initrdFile: In<string>;
      diskImageFile: In<string>;
      cmdline?: In<string>;
    }
  | {
      /** An existing disk image (qcow2, raw or vhdx) on the machine running Pulumi, imported once. */
      kind: 'disk-image';
      file: In<string>;
      format: 'qcow2' | 'raw' | 'vhdx';
    };

export interface WindowsVmPort {
  name: In<string>;
  /** Port inside the guest. */
  guest: In<number>;
  protocol?: In<'tcp' | 'udp'>;
  /** Host port; leave out to let Docker choose (kept across restarts). */
  hostPort?: In<number>;
  /** Host address to bind; default 127.0.0.1 (loopback only). */
  bind?: In<string>;
}

export interface WindowsVmArgs {
  /** The VM's name on its host (container windock-NAME). Default: "<resource name>-<stack>". Replace tier. */
  name?: In<string>;
  /** A host from the `windock:hosts` stack config; default "local". Replace tier. */
  host?: In<string>;
  /** What the VM boots from (not for clones). Install-time: replace tier. */
  media?: In<WindowsVmMedia>;
  /**
   * Make this VM a linked clone of another VM's snapshot (copy-on-write over a frozen base on
   * the same host, its own MAC and SMBIOS identity). Install-time: replace tier.
   */
  cloneFrom?: In<{ container: In<string>; snapshot: In<string> }>;
  /**
   * Start the VM from this snapshot whenever it changes (bump generation to restore the same
   * one again). A running VM with a memory snapshot is restored in place, in about a second.
   */
  restoreFrom?: In<{ snapshot: In<string>; generation?: In<number> }>;
  /** vCPUs (default 2). Restart tier. */
  cpu?: In<number>;
  /** RAM, like "8GiB" (default 4GiB). Restart tier. */
  memory?: In<string | number>;
  /** System disk size, like "64GiB" (default). Grow only: live tier; a shrink is refused at preview. */
  systemDiskSize?: In<string | number>;
  /** Extra disks, keyed by name. Growing is live; adding or removing one restarts the VM (a removed disk's file is kept). */
  disks?: In<Array<{ name: In<string>; size: In<string | number>; format?: In<'qcow2' | 'raw'> }>>;
  /** "user" (default, no extra privileges) or "none". Restart tier. */
  network?: In<'user' | 'none'>;
  /** Guest ports forwarded to the host. Restart tier. */
  ports?: In<WindowsVmPort[]>;
  /** RDP (TCP and UDP 3389) forwarded to the host, on loopback by default. Restart tier. */
  rdp?: In<{ enabled?: In<boolean>; hostPort?: In<number>; bind?: In<string> }>;
  /** The browser console (noVNC): token-protected and on loopback by default. Restart tier. */
  console?: In<{
    enabled?: In<boolean>;
    hostPort?: In<number>;
    bind?: In<string>;
    viewOnly?: In<boolean>;
    auth?: In<'token' | 'none'>;
  }>;
  /** "uefi" (default), "uefi-secure" (Secure Boot, for Windows 11 with tpm) or "bios". Restart tier. */
  firmware?: In<'uefi' | 'uefi-secure' | 'bios'>;
  /** A TPM 2.0 (swtpm). Restart tier. */
  tpm?: In<boolean>;
  /** "auto" (KVM where it truly works, else TCG with a warning), "kvm" (refuse without it), "tcg". Restart tier. */
  accelerator?: In<'auto' | 'kvm' | 'tcg'>;
  /** Keep the VM snapshot-capable (no +invtsc). Default true. Restart tier. */
  snapshots?: In<boolean>;
  guestAgent?: In<boolean>;
  /** What a restart-tier change may do: "apply" (default), "pending" (record, apply later), "refuse" (fail the preview). */
  restartPolicy?: In<'apply' | 'pending' | 'refuse'>;
  /** "running" (default) or "stopped" (graceful power-down). Live tier. */
  powerState?: In<'running' | 'stopped'>;
  /** Start again when Docker or the host restarts (default true). Live tier. */
  autostart?: In<boolean>;
  /** What `pulumi up` waits for: "container", "qemu" (default), "agent" or "beacon" (desktop ready). */
  readiness?: In<'container' | 'qemu' | 'agent' | 'beacon'>;
  timeouts?: In<{ createSeconds?: In<number>; shutdownSeconds?: In<number> }>;
  /** Keep the disks when the VM is deleted or replaced (default false). */
  retainStorageOnDelete?: In<boolean>;
  /** The id of a GpuAssignment for this VM on its host (VFIO passthrough). Restart tier. */
  gpu?: In<string>;
  /** The windock image; default: the provider's (windock:image). Restart tier. */
  image?: In<string>;
  labels?: In<Record<string, In<string>>>;
}

/** A Windows VM under QEMU in a Docker container on one of the stack's hosts. */
export class WindowsVm extends pulumi.dynamic.Resource {
  /** What the last change did (and, in preview, what the planned one will do), with the reason. */
  declare readonly changeImpact: pulumi.Output<string>;
  declare readonly vmUuid: pulumi.Output<string>;
  declare readonly macAddress: pulumi.Output<string>;
  declare readonly containerName: pulumi.Output<string>;
  declare readonly containerId: pulumi.Output<string>;
  declare readonly volumeName: pulumi.Output<string>;
  declare readonly phase: pulumi.Output<string>;
  declare readonly activeAccelerator: pulumi.Output<string>;
  declare readonly publishedPorts: pulumi.Output<Record<string, number>>;
  /** The console's URL, with its token (secret). */
  declare readonly consoleUrl: pulumi.Output<string>;
  declare readonly consoleToken: pulumi.Output<string>;
  declare readonly rdpEndpoint: pulumi.Output<string>;
  declare readonly restartPending: pulumi.Output<boolean>;
  declare readonly warnings: pulumi.Output<string[]>;
  /** The guest's IP addresses, from its agent. */
  declare readonly guestAddresses: pulumi.Output<string[]>;

  constructor(name: string, args: WindowsVmArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      changeImpact: undefined,
      vmUuid: undefined,
      macAddress: undefined,
      containerName: undefined,
      containerId: undefined,
      volumeName: undefined,
      phase: undefined,
      activeAccelerator: undefined,
      publishedPorts: undefined,
      consoleUrl: undefined,
      consoleToken: undefined,
      rdpEndpoint: undefined,
      restartPending: undefined,
      warnings: undefined,
      guestAddresses: undefined,
      cloneBase: undefined,
      serial: undefined,
      specHash: undefined,
      stateVersion: undefined,
    };
    super(
      windowsVmThinProvider,
      name,
      { ...args, name: args.name ?? defaultVmName(name, pulumi.getStack()), ...outputs },
      {
        ...opts,
        additionalSecretOutputs: ['consoleUrl', 'consoleToken', ...(opts?.additionalSecretOutputs ?? [])],
      },
      'windock',
      'WindowsVm',
    );
  }
}
