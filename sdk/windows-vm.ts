import * as pulumi from '@pulumi/pulumi';
import { defaultVmName } from './default-vm-name';
import { secretFields } from './secret-inputs';
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
      /** Default qcow2. */
      diskImageFormat?: 'qcow2' | 'raw' | 'vhdx';
      cmdline?: In<string>;
    }
  | ({
      /**
       * An existing disk image (qcow2, raw or vhdx; any size), imported once per host into the
       * host's image cache (checksummed, resumable); the system disk is an overlay over it.
       */
      kind: 'disk-image';
      format: 'qcow2' | 'raw' | 'vhdx';
      /** Checked before the image enters the cache. */
      sha256?: In<string>;
    } & (
      | { /** On the machine running Pulumi. */ file: In<string> }
      | { /** Downloaded by the provider and streamed to the host. */ url: In<string> }
      | { /** A file on the Docker host, within its allowedHostPaths. */ hostPath: In<string> }
    ))
  | {
      /**
       * A fresh install of a catalogued Windows version, its ISO fetched into the host's media
       * cache (shared by the host's VMs). "auto": a pinned, checksummed ISO where the catalogue has
       * one, else Microsoft's download (11, 10), else the Evaluation Center (evaluations expire).
       */
      kind: 'windows';
      version: WindowsVersion;
      /** Default: "pro" (client), "standard" (Server), "iot-enterprise" (11-ltsc), "enterprise" (10-ltsc). */
      edition?: In<string>;
      /** A culture like "en-us" (default) or "de-de". */
      language?: In<string>;
      source?: In<'auto' | 'microsoft' | 'evaluation' | 'catalogue'>;
      /** Where Microsoft/Evaluation Center requests go (a mirror of the protocol); default Microsoft's servers. */
      endpoints?: In<{ microsoft?: string; microsoftSession?: string; evaluation?: string }>;
    }
  | {
      /** A fresh install from an ISO at a URL, fetched into the host's media cache. */
      kind: 'url';
      url: In<string>;
      sha256?: In<string>;
      version: WindowsVersion;
      edition?: In<string>;
    }
  | {
      /** A fresh install from an ISO already on the Docker host (mounted read-only). */
      kind: 'iso';
      hostPath: In<string>;
      sha256?: In<string>;
      version: WindowsVersion;
      edition?: In<string>;
    };

/** Windows versions of the media catalogue. */
export type WindowsVersion =
  '11' | '10' | '11-ltsc' | '10-ltsc' | 'server-2016' | 'server-2019' | 'server-2022' | 'server-2025';

/** The drivers ISO of a fresh install (see WindowsVmArgs.drivers). */
export type WindowsVmDrivers =
  | { kind: 'virtio-win'; release?: In<'pinned' | 'stable'> }
  | { kind: 'url'; url: In<string>; sha256?: In<string> }
  | { kind: 'iso'; hostPath: In<string>; sha256?: In<string> }
  | { kind: 'none' };

/**
 * Unattended setup: settings windock writes into an answer file, or your own answer file
 * (`{ file: './autounattend.xml' }`, as dockur/windows users mount theirs).
 */
export type WindowsVmUnattend = WindowsVmUnattendSettings | WindowsVmOwnAnswerFile;

/**
 * Your own answer file on the machine running Pulumi, used as it is. Checked at preview: an
 * answer file Windows Setup can read, not installing to the answer stick (DiskID 0; the system
 * disk is 1, as in dockur's files), with the first-logon command that writes windock's beacon.
 * It may hold passwords: it reaches the VM as a secret file, never the spec or state.
 */
export interface WindowsVmOwnAnswerFile {
  file: In<string>;
}

export interface WindowsVmUnattendSettings {
  /** The local administrator, logged on automatically (default "admin"; at most 20 characters). */
  adminUser?: In<string>;
  /** Its password: a Pulumi secret (at most 127 characters). */
  adminPassword: In<string>;
  /** Default: the VM name trimmed to Windows' rules (15 characters). */
  computerName?: In<string>;
  /** Like "en-US" (default). */
  locale?: In<string>;
  /** Like "de-DE" or "0407:00000407"; default: the locale. */
  keyboard?: In<string>;
  /** A Windows time zone id, like "W. Europe Standard Time" (default "UTC"). */
  timeZone?: In<string>;
  /** A Pulumi secret; default: the edition's generic key. */
  productKey?: In<string>;
  domainJoin?: In<{
    domain: In<string>;
    account: In<string>;
    password: In<string>;
    organizationalUnit?: In<string>;
  }>;
  /** Remote Desktop on (default true). */
  rdp?: In<boolean>;
  /** Run in order at the first logon, before the readiness beacon. */
  firstLogonCommands?: In<In<string>[]>;
}

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

/** One NIC of a WindowsVm (see WindowsVmArgs.nics). */
export interface WindowsVmNic {
  mode: In<'user' | 'nat' | 'lan'>;
  /** lan: the macvlan or ipvlan Docker network on the VM's host. */
  dockerNetwork?: In<string>;
  /** lan: static addresses on that network (default: Docker's IPAM). */
  ipv4Address?: In<string>;
  ipv6Address?: In<string>;
  /** lan: "container" (default). "own" is not supported yet. */
  guestAddress?: In<'container' | 'own'>;
  /** Where the guest may connect to: policy "internet" (nat default), "all" (user and lan default) or "none", plus an allow list (nat and lan). */
  egress?: In<{ policy?: In<'all' | 'internet' | 'none'>; allow?: In<In<string>[]> }>;
  /** nat and lan: the guest link networks (default 10.0.N.0/24 and fd00:77:N::/64, free ones). */
  subnetV4?: In<string>;
  subnetV6?: In<string>;
  /** IPv6 for the guest (default: user on, nat off, lan when its network has IPv6). */
  ipv6?: In<boolean>;
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
  /**
   * "user" (default, no extra privileges), "nat" (a private network routed by the container,
   * with an egress policy) or "none". Shorthand for one NIC; use nics for more. Restart tier.
   */
  network?: In<'user' | 'none' | 'nat'>;
  /**
   * The NICs in order, instead of network: "user", "nat" or "lan" (the guest answers at the
   * container's address on a macvlan/ipvlan Docker network). ports and rdp go through the first
   * user or nat NIC. [] means no NIC. Restart tier.
   */
  nics?: In<WindowsVmNic[]>;
  /** The Docker network the container is created on; default 0-windock-isolated (no container-to-container traffic). Restart tier. */
  containerNetwork?: In<string>;
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
    /**
     * HTTPS: "generated" (a self-signed certificate the VM makes and keeps; see
     * consoleCertificateFingerprint) or the user's PEM certificate and private key (secret).
     */
    tls?: In<'generated' | { certificate: In<string>; privateKey: In<string> }>;
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
  /**
   * Folders shared with the guest over SMB (\\host.lan\NAME; \\10.0.2.2\NAME on user
   * networking): a folder of the Docker host (system locations are refused) or a Docker volume.
   * Restart tier.
   */
  shares?: In<
    Array<{ name: In<string>; hostPath?: In<string>; volume?: In<string>; readOnly?: In<boolean> }>
  >;
  /** How the guest signs in: a user ("windock") with a generated password (output sharePassword), or "guest" if asked. Restart tier. */
  shareAuth?: In<{ mode?: In<'password' | 'guest'>; user?: In<string> }>;
  /**
   * Host USB devices passed through: "vendor:product" ("046d:c52b") or "bus-port" ("1-1.4").
   * Plugged in before the VM starts. Restart tier.
   */
  usb?: In<In<string>[]>;
  /** A sound card (Intel HDA): a microphone input, and "wav" capture into /storage/recordings. Restart tier. */
  audio?: In<{ microphone?: In<boolean>; capture?: In<'none' | 'wav'> }>;
  /**
   * Screen recording into /storage/recordings: from boot (onStart), or with `windock record
   * start|stop`. Default 2 fps, webm. Live tier.
   */
  recording?: In<{ onStart?: In<boolean>; framesPerSecond?: In<number>; format?: In<'webm' | 'mp4'> }>;
  /**
   * The virtio drivers ISO attached beside install media (kind "windows", "url" or "iso"). Default:
   * the catalogue's virtio-win ISO ("pinned": a fixed, checksummed release; "stable": Fedora's
   * current one), or an ISO at a URL or on the Docker host, or kind "none". Applies to a new install only.
   */
  drivers?: In<WindowsVmDrivers>;
  /**
   * Unattended Windows setup for media of kind "windows", "url" or "iso". Pass the passwords and
   * the product key as Pulumi secrets. Applies to a new install only (a change touches nothing).
   */
  unattend?: In<WindowsVmUnattend>;
  labels?: In<Record<string, In<string>>>;
}

/**
 * Password-like inputs, secret whatever the user passed: a plain string would otherwise land in
 * the state's inputs in plain text (additionalSecretOutputs covers outputs only).
 */
function secretInputs(args: WindowsVmArgs): Partial<WindowsVmArgs> {
  const unattend = secretFields(args.unattend as In<WindowsVmUnattendSettings> | undefined, [
    'adminPassword',
    'productKey',
    'domainJoin',
  ]);
  if (consoleMayCarryKey(args.console))
    return { ...(unattend === undefined ? {} : { unattend }), console: secretFields(args.console, ['tls']) };
  return unattend === undefined ? {} : { unattend };
}

/** Whether the console inputs may carry a TLS private key (unknown until resolved: yes). */
function consoleMayCarryKey(console: WindowsVmArgs['console']): boolean {
  if (console === undefined) return false;
  if (pulumi.Output.isInstance(console) || console instanceof Promise) return true;
  const tls = (console as { tls?: unknown }).tls;
  return tls !== undefined && tls !== 'generated';
}

/** A Windows VM under QEMU in a Docker container on one of the stack's hosts. */
export class WindowsVm extends pulumi.dynamic.Resource {
  /** What the last change did (and, in preview, what the planned one will do), with the reason. */
  declare readonly changeImpact: pulumi.Output<string>;
  /** The VM's name on its host (its container is `windock-<name>`). */
  declare readonly name: pulumi.Output<string>;
  /** The host the VM runs on (from the windock:hosts stack config; "local" by default). */
  declare readonly host: pulumi.Output<string>;
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
  /** SHA-256 fingerprint of the console's TLS certificate (AA:BB:..); empty without console.tls. */
  declare readonly consoleCertificateFingerprint: pulumi.Output<string>;
  declare readonly rdpEndpoint: pulumi.Output<string>;
  /** host:port of each published port by name: `console`, `rdp` and each `ports` entry's name. */
  declare readonly portAddresses: pulumi.Output<Record<string, string>>;
  /** For a VM on another host: the `windock console` / `windock rdp` commands that tunnel them here; empty on the local host. */
  declare readonly remoteAccess: pulumi.Output<string>;
  /** The share user's password (secret); empty without password-protected shares. */
  declare readonly sharePassword: pulumi.Output<string>;
  declare readonly restartPending: pulumi.Output<boolean>;
  declare readonly warnings: pulumi.Output<string[]>;
  /** The guest's IP addresses, from its agent. */
  declare readonly guestAddresses: pulumi.Output<string[]>;
  /** SHA-256 of each install medium in the host's media cache, by cache key: every start checks the file against it. */
  declare readonly mediaSha256: pulumi.Output<Record<string, string>>;

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
      consoleCertificateFingerprint: undefined,
      rdpEndpoint: undefined,
      portAddresses: undefined,
      remoteAccess: undefined,
      sharePassword: undefined,
      restartPending: undefined,
      warnings: undefined,
      guestAddresses: undefined,
      cloneBase: undefined,
      mediaSha256: undefined,
      serial: undefined,
      specHash: undefined,
      stateVersion: undefined,
    };
    super(
      windowsVmThinProvider,
      name,
      {
        ...args,
        ...secretInputs(args),
        name: args.name ?? defaultVmName(name, pulumi.getStack()),
        // Present even when left out, so that `vm.host` is an output (the checked default: "local").
        host: args.host,
        ...outputs,
      },
      {
        ...opts,
        additionalSecretOutputs: [
          'consoleUrl',
          'consoleToken',
          'sharePassword',
          // Its admin password, product key and domain-join password stay secret in state.
          'unattend',
          // A console private key stays secret in state.
          ...(consoleMayCarryKey(args.console) ? ['console'] : []),
          ...(opts?.additionalSecretOutputs ?? []),
        ],
      },
      'windock',
      'WindowsVm',
    );
  }
}
