// WindowsVm's inputs and outputs for the SDK, generated from its zod schemas (the source of
// schema.json) by `npm run schema`; do not edit. provider/schema/sdk-types.test.ts fails when this
// file is stale, and sdk/types-agree.ts does not compile when its types differ from zod's.
import * as pulumi from '@pulumi/pulumi';

type In<T> = pulumi.Input<T>;

/** What the VM is installed or booted from (not for clones). Install-time: replace tier. */
export type WindowsVmMedia = {
  kind: 'kernel';
  kernelFile: In<string>;
  initrdFile: In<string>;
  diskImageFile: In<string>;
  diskImageFormat?: In<'qcow2' | 'raw' | 'vhdx'>;
  /** @default "console=ttyS0 quiet" */
  cmdline?: In<string>;
} | {
  kind: 'disk-image';
  file?: In<string>;
  url?: In<string>;
  hostPath?: In<string>;
  format: In<'qcow2' | 'raw' | 'vhdx'>;
  sha256?: In<string>;
} | {
  kind: 'windows';
  version: In<WindowsVersion>;
  edition?: In<string>;
  /** @default "en-us" */
  language?: In<string>;
  /** @default "auto" */
  source?: In<'auto' | 'microsoft' | 'evaluation' | 'catalogue'>;
  endpoints?: In<{
    microsoft?: In<string>;
    microsoftSession?: In<string>;
    evaluation?: In<string>;
  }>;
} | {
  kind: 'url';
  url: In<string>;
  sha256?: In<string>;
  version: In<WindowsVersion>;
  edition?: In<string>;
} | {
  kind: 'iso';
  hostPath: In<string>;
  sha256?: In<string>;
  version: In<WindowsVersion>;
  edition?: In<string>;
};

export type WindowsVersion = '10' | '11' | '11-ltsc' | '10-ltsc' | 'server-2016' | 'server-2019' | 'server-2022' | 'server-2025';

/**
 * The virtio drivers ISO attached beside install media (kind "windows", "url" or "iso"): default
 * the catalogue's virtio-win ISO (a pinned, checksummed release); a URL, an ISO on the host, or
 * kind "none". Applies to a new install only.
 */
export type WindowsVmDrivers = {
  kind: 'virtio-win';
  /** @default "pinned" */
  release?: In<'pinned' | 'stable'>;
} | {
  kind: 'url';
  url: In<string>;
  sha256?: In<string>;
} | {
  kind: 'iso';
  hostPath: In<string>;
  sha256?: In<string>;
} | {
  kind: 'none';
};

export interface WindowsVmOwnAnswerFile {
  /**
   * Your own answer file (autounattend.xml) on the machine running Pulumi, used as it is instead of
   * the settings; checked at preview. It may hold passwords: it reaches the VM as a secret file,
   * never the spec or state.
   */
  file: In<string>;
}

export interface WindowsVmUnattendSettings {
  /**
   * The local administrator (logged on automatically); at most 20 characters.
   * @default "admin"
   */
  adminUser?: In<string>;
  /**
   * Its password (pass a Pulumi secret): written to a 0400 secret file, never into the spec or env.
   */
  adminPassword: In<string>;
  /** Windows' computer name; default: the VM name trimmed to Windows' rules (15 characters). */
  computerName?: In<string>;
  /**
   * UI language and region, like "en-US".
   * @default "en-US"
   */
  locale?: In<string>;
  /** Keyboard, like "de-DE" or "0407:00000407"; default: the locale. */
  keyboard?: In<string>;
  /**
   * A Windows time zone id, like "W. Europe Standard Time".
   * @default "UTC"
   */
  timeZone?: In<string>;
  /** A product key (pass a Pulumi secret); default: the edition's generic key. */
  productKey?: In<string>;
  /** Join an Active Directory domain during setup. */
  domainJoin?: In<{
    domain: In<string>;
    account: In<string>;
    /** Pass a Pulumi secret. */
    password: In<string>;
    organizationalUnit?: In<string>;
  }>;
  /**
   * Remote Desktop on, with its firewall rule.
   * @default true
   */
  rdp?: In<boolean>;
  /**
   * Commands run in order at the first logon (before the readiness beacon).
   * @default []
   */
  firstLogonCommands?: In<In<string>[]>;
}

/**
 * Unattended Windows setup for media of kind "windows", "url" or "iso": settings windock writes
 * into an answer file (admin, locale, time zone, domain join, RDP, first-logon commands), or { file
 * } for your own answer file. Applies to a new install only: a change is recorded, the installed
 * system is not touched.
 */
export type WindowsVmUnattend = WindowsVmOwnAnswerFile | WindowsVmUnattendSettings;

export interface WindowsVmPort {
  /** The port's name: its key in the portAddresses output. */
  name: In<string>;
  /** Port inside the guest. */
  guest: In<number>;
  /** @default "tcp" */
  protocol?: In<'tcp' | 'udp'>;
  /** Host port; leave out to let Docker choose a free one (kept across restarts). */
  hostPort?: In<number>;
  /**
   * Host address to bind: loopback unless opened explicitly.
   * @default "127.0.0.1"
   */
  bind?: In<'127.0.0.1' | '0.0.0.0' | string>;
}

export interface WindowsVmNic {
  /**
   * "user" (QEMU user networking, no privileges), "nat" (a private network routed by the container:
   * egress policy and allow list) or "lan" (on a macvlan/ipvlan Docker network: the guest answers
   * at the container's address there, or with guestAddress "own" at its own).
   */
  mode: In<'user' | 'nat' | 'lan'>;
  /** lan NICs: the macvlan or ipvlan Docker network on the VM's host the container joins. */
  dockerNetwork?: In<string>;
  /** lan NICs: a static IPv4 address on that network (default: Docker's IPAM assigns one). */
  ipv4Address?: In<string>;
  /** lan NICs: a static IPv6 address on that network. */
  ipv6Address?: In<string>;
  /**
   * lan NICs: "container" (default; every port but the console's is forwarded from the container's
   * LAN address to the guest) or "own" (macvlan networks only: the guest is on the LAN with its own
   * MAC through a macvtap and takes its addresses there itself, by DHCP/SLAAC or its own static
   * settings; nothing is forwarded or filtered; the container keeps its own LAN address; NET_ADMIN,
   * MKNOD and the macvtap devices in this mode only).
   */
  guestAddress?: In<'container' | 'own'>;
  /** Where the guest may open connections to through this NIC. */
  egress?: In<{
    /**
     * "internet" (anywhere but private, link-local and unique-local networks: not other VMs, the
     * LAN or the host), "all" or "none" (only forwarded ports reach the guest, and its DNS server
     * answers host.lan but no other name). Default: "all" for user and lan NICs, "internet" for nat
     * NICs. User mode knows only "all" and "none".
     */
    policy?: In<'all' | 'internet' | 'none'>;
    /**
     * Networks the guest may reach on top of the policy, like "192.168.1.20/32" (nat and lan NICs).
     * @default []
     */
    allow?: In<In<string>[]>;
  }>;
  /**
   * nat and lan NICs: the private IPv4 network between container (.1, gateway and DNS) and guest
   * (.2). Default: the first free 10.0.N.0/24 from 10.0.2.0/24.
   */
  subnetV4?: In<string>;
  /**
   * nat and lan NICs: the private IPv6 /64 of the guest link (with ipv6). Default: fd00:77:N::/64.
   */
  subnetV6?: In<string>;
  /**
   * IPv6 for the guest. Default: on for user NICs, off for nat NICs, on for lan NICs whose Docker
   * network has an IPv6 subnet.
   */
  ipv6?: In<boolean>;
}

/** The inputs of WindowsVm, as the program passes them. */
export interface WindowsVmArgs {
  /**
   * The VM's name on its host (container windock-NAME). Default: <resource name>-<stack>, so stacks
   * never collide. Replace tier.
   */
  name?: In<string>;
  /**
   * A host from the windock:hosts stack config; "local" is the local Docker engine. Replace tier.
   * @default "local"
   */
  host?: In<string>;
  /** What the VM is installed or booted from (not for clones). Install-time: replace tier. */
  media?: In<WindowsVmMedia>;
  /**
   * Make this VM a linked clone of another VM's snapshot: copy-on-write overlays over a frozen base
   * on the same host, with its own MAC and SMBIOS identity. Install-time: replace tier.
   */
  cloneFrom?: In<{
    /** The source VM's container on the same host (its containerName output). */
    container: In<string>;
    /** A windock snapshot of that VM. */
    snapshot: In<string>;
  }>;
  /**
   * Start the VM from this snapshot when it changes (bump generation to restore the same one
   * again): in place and fast for a running VM with a memory snapshot; restart tier.
   */
  restoreFrom?: In<{
    snapshot: In<string>;
    /** @default 0 */
    generation?: In<number>;
  }>;
  /**
   * vCPUs. Restart tier.
   * @default 2
   */
  cpu?: In<number>;
  /**
   * RAM, like "8GiB" or "512MiB" (binary units; "8GB" is refused with the fix; a plain number is
   * MiB). Restart tier.
   */
  memory?: In<string | number>;
  /**
   * Size of the system disk, like "64GiB" (binary units; "GB" is refused; a plain number is MiB).
   * Grows live; a shrink is refused at preview.
   */
  systemDiskSize?: In<string | number>;
  /**
   * Extra disks by name. Growing is live; adding or removing one restarts (a removed disk stays in
   * the volume).
   */
  disks?: In<In<{
    name: In<string>;
    /** Size, like "100GiB" (binary units; "GB" is refused; a plain number is MiB). */
    size: In<string | number>;
    /** @default "qcow2" */
    format?: In<'qcow2' | 'raw'>;
  }>[]>;
  /**
   * "user" (default: QEMU user networking, no extra privileges), "nat" (a private network routed by
   * the container; /dev/net/tun and NET_ADMIN in this mode only, NET_RAW too with IPv6) or "none".
   * Shorthand for one NIC; use nics for more. Restart tier.
   */
  network?: In<'user' | 'none' | 'nat'>;
  /**
   * The NICs in order (instead of network), each "user", "nat" or "lan"; ports and rdp go through
   * the first user or nat NIC. [] means no NIC. Restart tier.
   */
  nics?: In<In<WindowsVmNic>[]>;
  /**
   * The Docker network the VM's container is created on (its published ports live there). Default:
   * 0-windock-isolated, a bridge per host on which containers cannot reach each other. Restart
   * tier.
   */
  containerNetwork?: In<string>;
  /**
   * Guest ports forwarded to the host, bound to 127.0.0.1 unless opened. Restart tier.
   * @default []
   */
  ports?: In<In<WindowsVmPort>[]>;
  /**
   * RDP (TCP and UDP 3389) forwarded to the host. Restart tier.
   * @default {"enabled":true,"bind":"127.0.0.1"}
   */
  rdp?: In<{
    /** @default true */
    enabled?: In<boolean>;
    hostPort?: In<number>;
    /** @default "127.0.0.1" */
    bind?: In<'127.0.0.1' | '0.0.0.0' | string>;
  }>;
  /**
   * The browser console (noVNC), token-protected and on loopback by default. Restart tier.
   * @default {"enabled":true,"bind":"127.0.0.1","viewOnly":false,"auth":"token"}
   */
  console?: In<{
    /** @default true */
    enabled?: In<boolean>;
    hostPort?: In<number>;
    /** @default "127.0.0.1" */
    bind?: In<'127.0.0.1' | '0.0.0.0' | string>;
    /** @default false */
    viewOnly?: In<boolean>;
    /** @default "token" */
    auth?: In<'token' | 'none'>;
    /**
     * HTTPS: "generated" (a self-signed certificate the VM makes at its first start and keeps; its
     * fingerprint is the consoleCertificateFingerprint output) or {certificate, privateKey} (PEM;
     * pass the key as a Pulumi secret). Default: plain HTTP.
     */
    tls?: In<'generated' | {
      /** PEM certificate (with its chain) for the console. */
      certificate: In<string>;
      /** Its PEM private key (pass a Pulumi secret). */
      privateKey: In<string>;
    }>;
  }>;
  /**
   * "uefi", "uefi-secure" (Secure Boot with Microsoft keys) or "bios". Restart tier.
   * @default "uefi"
   */
  firmware?: In<'uefi' | 'uefi-secure' | 'bios'>;
  /**
   * A TPM 2.0 (swtpm), state kept in the volume. Restart tier.
   * @default false
   */
  tpm?: In<boolean>;
  /**
   * "auto" (KVM where it truly works, else TCG with a warning), "kvm" (refuse without it) or "tcg".
   * Restart tier.
   * @default "auto"
   */
  accelerator?: In<'auto' | 'kvm' | 'tcg'>;
  /**
   * Keep the VM snapshot-capable (no +invtsc, firmware variables in qcow2). Restart tier.
   * @default true
   */
  snapshots?: In<boolean>;
  /**
   * A virtio-serial port for the QEMU guest agent. Restart tier.
   * @default true
   */
  guestAgent?: In<boolean>;
  /**
   * What a restart-tier change may do: "apply" it, record it as "pending", or "refuse" it at
   * preview.
   * @default "apply"
   */
  restartPolicy?: In<'apply' | 'pending' | 'refuse'>;
  /**
   * "stopped" powers the VM down gracefully, keeping everything. Live tier.
   * @default "running"
   */
  powerState?: In<'running' | 'stopped'>;
  /**
   * Start the VM again when Docker or the host restarts. Live tier.
   * @default true
   */
  autostart?: In<boolean>;
  /**
   * What create and restarts wait for: the container, QEMU running, the guest agent, or the desktop
   * beacon.
   * @default "qemu"
   */
  readiness?: In<'container' | 'qemu' | 'agent' | 'beacon'>;
  /**
   * windock's own timeouts (Pulumi's customTimeouts do not reach dynamic providers).
   * @default {"createSeconds":1800,"shutdownSeconds":110}
   */
  timeouts?: In<{
    /** @default 1800 */
    createSeconds?: In<number>;
    /** @default 110 */
    shutdownSeconds?: In<number>;
  }>;
  /**
   * Keep the storage volume (the disks) when the VM is deleted or replaced.
   * @default false
   */
  retainStorageOnDelete?: In<boolean>;
  /**
   * Take over an existing windock VM's container (replaced by this VM's on the same volume) or a
   * retained volume. Used at create only.
   */
  adopt?: In<{
    container?: In<string>;
    volume?: In<string>;
  }>;
  /**
   * The id of a GpuAssignment for this VM on its host: the GPU is passed through with VFIO. Restart
   * tier.
   */
  gpu?: In<string>;
  /** The windock image to run; default: the provider's (windock:image). Restart tier. */
  image?: In<string>;
  /**
   * Folders of the Docker host or Docker volumes shared with the guest over SMB (\\host.lan\NAME;
   * \\10.0.2.2\NAME on user networking), read-only on request. Adding, removing or changing one:
   * restart tier.
   * @default []
   */
  shares?: In<In<{
    /** The SMB share name the guest sees: \\host.lan\NAME. */
    name: In<string>;
    /** A folder on the Docker host (system locations are refused). */
    hostPath?: In<string>;
    /** A Docker volume on the VM's host. */
    volume?: In<string>;
    /**
     * The guest can read but not write.
     * @default false
     */
    readOnly?: In<boolean>;
  }>[]>;
  /**
   * How the guest signs in to the shares: a user with a generated password (secret output
   * sharePassword) unless "guest" is asked for explicitly (Windows 10/11 refuse guest logons unless
   * the "insecure guest logons" policy allows them). Restart tier.
   * @default {"mode":"password","user":"windock"}
   */
  shareAuth?: In<{
    /**
     * "password" (default): a user with a generated password (the sharePassword output); "guest":
     * no password at all.
     * @default "password"
     */
    mode?: In<'password' | 'guest'>;
    /**
     * The share user (default "windock").
     * @default "windock"
     */
    user?: In<string>;
  }>;
  /**
   * Host USB devices passed through, as "vendor:product" ("046d:c52b") or "bus-port" ("1-1.4").
   * They must be plugged in when the VM starts; the container then gets /dev/bus/usb and USB device
   * access (major 189), nothing more. A missing device leaves its port empty. USB devices prevent
   * memory snapshots. Restart tier.
   * @default []
   */
  usb?: In<In<string>[]>;
  /** A sound card (Intel HDA) for the guest. Leave out for none. Restart tier. */
  audio?: In<{
    /**
     * Give the guest a line-in it sees as a microphone (hda-duplex); silent, as no host sound
     * reaches the container.
     * @default false
     */
    microphone?: In<boolean>;
    /**
     * "none": sound goes nowhere; "wav": the guest's sound is written to
     * /storage/recordings/audio.wav in the VM's volume while the VM runs (16-bit stereo 44.1 kHz:
     * about 10 MiB a minute, 600 MiB an hour, whenever the guest's sound output is running, silence
     * included; a WAV file holds at most 4 GiB). It is not rotated while the VM runs; at the next
     * start of the VM it is renamed audio-<time it was started>.wav, one file per run. windock
     * never deletes these files: remove old ones with `docker run --rm -v <volume>:/storage ...` or
     * keep capture "none" for long-running VMs.
     * @default "none"
     */
    capture?: In<'none' | 'wav'>;
  }>;
  /**
   * Screen recording into the VM's storage (/storage/recordings/<name>.webm|mp4): from boot with
   * onStart, or started and stopped with `windock record start|stop`. These settings are the
   * defaults of every recording. When the guest changes its screen size the recording goes on in a
   * new file at the new size (<name>.part2.webm, .part3...; `windock record list` shows them
   * together). Live tier: turning onStart on starts a recording in a running VM, turning it off
   * stops the running one.
   */
  recording?: In<{
    /**
     * Record from every boot until the VM stops.
     * @default false
     */
    onStart?: In<boolean>;
    /**
     * Frames per second (1-30).
     * @default 2
     */
    framesPerSecond?: In<number>;
    /**
     * "webm" (VP8) or "mp4" (H.264).
     * @default "webm"
     */
    format?: In<'webm' | 'mp4'>;
  }>;
  /**
   * The virtio drivers ISO attached beside install media (kind "windows", "url" or "iso"): default
   * the catalogue's virtio-win ISO (a pinned, checksummed release); a URL, an ISO on the host, or
   * kind "none". Applies to a new install only.
   */
  drivers?: In<WindowsVmDrivers>;
  /**
   * Unattended Windows setup for media of kind "windows", "url" or "iso": settings windock writes
   * into an answer file (admin, locale, time zone, domain join, RDP, first-logon commands), or {
   * file } for your own answer file. Applies to a new install only: a change is recorded, the
   * installed system is not touched.
   */
  unattend?: In<WindowsVmUnattend>;
  /**
   * Labels recorded in state and put on the container at its next restart.
   * @default {}
   */
  labels?: In<Record<string, In<string>>>;
}

/** The outputs WindowsVm computes (beside its inputs, which it echoes). */
export abstract class WindowsVmOutputs extends pulumi.dynamic.Resource {
  /** Version of the state shape (older states stay readable). */
  declare readonly stateVersion: pulumi.Output<number>;
  /**
   * In state, what the last applied change did ("last applied: restart: cpu 2 → 4 (...)"); in
   * preview, what the planned one will do and why: none, live, restart (or a restore in place) or
   * replace.
   */
  declare readonly changeImpact: pulumi.Output<string>;
  /** SMBIOS UUID: the identity of the VM. */
  declare readonly vmUuid: pulumi.Output<string>;
  /** Stable MAC address of the first NIC. */
  declare readonly macAddress: pulumi.Output<string>;
  /** SMBIOS serial number. */
  declare readonly serial: pulumi.Output<string>;
  /** The Docker container running the VM. */
  declare readonly containerName: pulumi.Output<string>;
  /** Its id (empty while the container is missing). */
  declare readonly containerId: pulumi.Output<string>;
  /** The storage volume holding the disks, firmware variables and TPM state. */
  declare readonly volumeName: pulumi.Output<string>;
  /** Hash of the VM spec the container runs. */
  declare readonly specHash: pulumi.Output<string>;
  /** preparing, booting, running, stopped (with the reason), failed, missing. */
  declare readonly phase: pulumi.Output<string>;
  /** The accelerator QEMU really runs with (kvm, or tcg where KVM is not usable). */
  declare readonly activeAccelerator: pulumi.Output<string>;
  /** Host ports Docker bound, by "containerPort/protocol". */
  declare readonly publishedPorts: pulumi.Output<Record<string, number>>;
  /** URL of the browser console, with its token. */
  declare readonly consoleUrl: pulumi.Output<string>;
  /** Token that opens the console. */
  declare readonly consoleToken: pulumi.Output<string>;
  /**
   * SHA-256 fingerprint of the console's TLS certificate (AA:BB:..), to pin or compare; empty
   * without console.tls.
   */
  declare readonly consoleCertificateFingerprint: pulumi.Output<string>;
  /** host:port of RDP. */
  declare readonly rdpEndpoint: pulumi.Output<string>;
  /**
   * host:port of each published port by name: "console", "rdp" and each ports entry's name
   * (publishedPorts is keyed by the container's side). An address on another host's loopback is
   * reached through a tunnel (remoteAccess).
   */
  declare readonly portAddresses: pulumi.Output<Record<string, string>>;
  /**
   * For a VM on another host (consoleUrl and rdpEndpoint are addresses there): the windock CLI
   * commands that open its console and RDP from here through an SSH tunnel. Empty on the local
   * host.
   */
  declare readonly remoteAccess: pulumi.Output<string>;
  /**
   * The share user's password (shareAuth.user) for the VM's shares; empty without
   * password-protected shares.
   */
  declare readonly sharePassword: pulumi.Output<string>;
  /** A restart-tier change recorded under restartPolicy "pending", not applied yet. */
  declare readonly restartPending: pulumi.Output<boolean>;
  /** The guest's IP addresses, from the guest agent. */
  declare readonly guestAddresses: pulumi.Output<string[]>;
  /** Warnings from the last change (for example TCG instead of KVM). */
  declare readonly warnings: pulumi.Output<string[]>;
  /** The frozen base of a linked clone (JSON), kept so that the clone outlives its source VM. */
  declare readonly cloneBase: pulumi.Output<string>;
  /**
   * SHA-256 of each install medium in the host's media cache, by cache key, as the fetch step
   * verified it: every start of the VM checks the cached file against it.
   */
  declare readonly mediaSha256: pulumi.Output<Record<string, string>>;
}

/** Their names: the SDK registers each, so that each is an output of the resource. */
export const windowsVmOutputNames = ["stateVersion","changeImpact","vmUuid","macAddress","serial","containerName","containerId","volumeName","specHash","phase","activeAccelerator","publishedPorts","consoleUrl","consoleToken","consoleCertificateFingerprint","rdpEndpoint","portAddresses","remoteAccess","sharePassword","restartPending","guestAddresses","warnings","cloneBase","mediaSha256"] as const;

/** Outputs that carry secrets derived from nothing secret in the inputs. */
export const windowsVmSecretOutputs = ["consoleToken","consoleUrl","sharePassword"] as const;

/** Input fields that carry passwords or keys, by input: secret whatever the program passed. */
export const windowsVmSecretInputFields = {"unattend":["adminPassword","productKey","domainJoin"],"console":["tls"]} as const;
