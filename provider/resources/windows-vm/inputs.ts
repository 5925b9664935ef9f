import { z } from 'zod';
import { atLeastMiB, diskName, sizeMiB } from '../../../contract';
import { mediaRequirementIssues } from '../../media/requirements';
import { driversInput, mediaInput } from './media-input';
import { unattendInput, unattendRefinement } from './unattend-input';
import { consoleTlsInput } from './console-tls';
import { shareAuthInput, sharesInput } from './share-inputs';
import { audioInput, recordingInput, usbInput } from './device-inputs';
import { containerNetworkInput, networkInput, networkIssues, nicsInput } from './network-inputs';

const dnsLabel = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,40}$/,
    'use lowercase letters, digits and "-" (max 41), starting with a letter or digit',
  );

const bindAddress = z.union([z.literal('127.0.0.1'), z.literal('0.0.0.0'), z.ipv4(), z.ipv6()]);
const hostPort = z.number().int().min(1).max(65535);

export { mediaInput } from './media-input';

export const portInput = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,30}$/, 'lowercase letters, digits and "-", starting with a letter')
    .describe("The port's name: its key in the portAddresses output."),
  guest: hostPort.describe('Port inside the guest.'),
  protocol: z.enum(['tcp', 'udp']).default('tcp'),
  hostPort: hostPort
    .optional()
    .describe('Host port; leave out to let Docker choose a free one (kept across restarts).'),
  bind: bindAddress.default('127.0.0.1').describe('Host address to bind: loopback unless opened explicitly.'),
});

export const extraDiskInput = z.strictObject({
  name: diskName.refine(
    (name) => name !== 'system',
    '"system" is the system disk: set systemDiskSize instead',
  ),
  size: sizeMiB
    .pipe(atLeastMiB(64))
    .describe('Size, like "100GiB" (binary units; "GB" is refused; a plain number is MiB).'),
  format: z.enum(['qcow2', 'raw']).default('qcow2'),
});

export const consoleInput = z.strictObject({
  enabled: z.boolean().default(true),
  hostPort: hostPort.optional(),
  bind: bindAddress.default('127.0.0.1'),
  viewOnly: z.boolean().default(false),
  /** "token" (default): a generated secret is needed to open the console. "none" must be explicit. */
  auth: z.enum(['token', 'none']).default('token'),
  tls: consoleTlsInput
    .optional()
    .describe(
      'HTTPS: "generated" (a self-signed certificate the VM makes at its first start and keeps; its fingerprint is the consoleCertificateFingerprint output) or {certificate, privateKey} (PEM; pass the key as a Pulumi secret). Default: plain HTTP.',
    ),
});

export const rdpInput = z.strictObject({
  enabled: z.boolean().default(true),
  hostPort: hostPort.optional(),
  bind: bindAddress.default('127.0.0.1'),
});

/**
 * Every input of WindowsVm. `check` runs this: units normalized, defaults filled, lists keyed
 * by name and sorted, so the same intent always produces the same inputs.
 */
export const windowsVmInputFields = z.strictObject({
  name: dnsLabel.describe(
    "The VM's name on its host (container windock-NAME). Default: <resource name>-<stack>, so stacks never collide. Replace tier.",
  ),
  host: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'a host name from the windock:hosts stack config')
    .default('local')
    .describe(
      'A host from the windock:hosts stack config; "local" is the local Docker engine. Replace tier.',
    ),
  media: mediaInput
    .optional()
    .describe('What the VM is installed or booted from (not for clones). Install-time: replace tier.'),
  cloneFrom: z
    .strictObject({
      container: z
        .string()
        .min(1)
        .describe("The source VM's container on the same host (its containerName output)."),
      snapshot: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/)
        .describe('A windock snapshot of that VM.'),
    })
    .optional()
    .describe(
      "Make this VM a linked clone of another VM's snapshot: copy-on-write overlays over a frozen base on the same host, with its own MAC and SMBIOS identity. Install-time: replace tier.",
    ),
  restoreFrom: z
    .strictObject({
      snapshot: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/),
      generation: z.number().int().min(0).default(0),
    })
    .optional()
    .describe(
      'Start the VM from this snapshot when it changes (bump generation to restore the same one again): in place and fast for a running VM with a memory snapshot; restart tier.',
    ),
  cpu: z.number().int().min(1).max(256).default(2).describe('vCPUs. Restart tier.'),
  memory: sizeMiB
    .default(4096)
    .pipe(atLeastMiB(128))
    .describe(
      'RAM, like "8GiB" or "512MiB" (binary units; "8GB" is refused with the fix; a plain number is MiB). Restart tier.',
    ),
  systemDiskSize: sizeMiB
    .default(65536)
    .pipe(atLeastMiB(64))
    .describe(
      'Size of the system disk, like "64GiB" (binary units; "GB" is refused; a plain number is MiB). Grows live; a shrink is refused at preview.',
    ),
  disks: z
    .array(extraDiskInput)
    .default([])
    .describe(
      'Extra disks by name. Growing is live; adding or removing one restarts (a removed disk stays in the volume).',
    ),
  network: networkInput,
  nics: nicsInput,
  containerNetwork: containerNetworkInput,
  ports: z
    .array(portInput)
    .default([])
    .describe('Guest ports forwarded to the host, bound to 127.0.0.1 unless opened. Restart tier.'),
  rdp: rdpInput
    .default({ enabled: true, bind: '127.0.0.1' })
    .describe('RDP (TCP and UDP 3389) forwarded to the host. Restart tier.'),
  console: consoleInput
    .default({ enabled: true, bind: '127.0.0.1', viewOnly: false, auth: 'token' })
    .describe('The browser console (noVNC), token-protected and on loopback by default. Restart tier.'),
  firmware: z
    .enum(['uefi', 'uefi-secure', 'bios'])
    .default('uefi')
    .describe('"uefi", "uefi-secure" (Secure Boot with Microsoft keys) or "bios". Restart tier.'),
  tpm: z.boolean().default(false).describe('A TPM 2.0 (swtpm), state kept in the volume. Restart tier.'),
  accelerator: z
    .enum(['auto', 'kvm', 'tcg'])
    .default('auto')
    .describe(
      '"auto" (KVM where it truly works, else TCG with a warning), "kvm" (refuse without it) or "tcg". Restart tier.',
    ),
  snapshots: z
    .boolean()
    .default(true)
    .describe('Keep the VM snapshot-capable (no +invtsc, firmware variables in qcow2). Restart tier.'),
  guestAgent: z
    .boolean()
    .default(true)
    .describe('A virtio-serial port for the QEMU guest agent. Restart tier.'),
  restartPolicy: z
    .enum(['apply', 'pending', 'refuse'])
    .default('apply')
    .describe(
      'What a restart-tier change may do: "apply" it, record it as "pending", or "refuse" it at preview.',
    ),
  powerState: z
    .enum(['running', 'stopped'])
    .default('running')
    .describe('"stopped" powers the VM down gracefully, keeping everything. Live tier.'),
  autostart: z
    .boolean()
    .default(true)
    .describe('Start the VM again when Docker or the host restarts. Live tier.'),
  readiness: z
    .enum(['container', 'qemu', 'agent', 'beacon'])
    .default('qemu')
    .describe(
      'What create and restarts wait for: the container, QEMU running, the guest agent, or the desktop beacon.',
    ),
  timeouts: z
    .strictObject({
      createSeconds: z
        .number()
        .int()
        .min(10)
        .max(24 * 3600)
        .default(1800),
      shutdownSeconds: z.number().int().min(5).max(3600).default(110),
    })
    .default({ createSeconds: 1800, shutdownSeconds: 110 })
    .describe("windock's own timeouts (Pulumi's customTimeouts do not reach dynamic providers)."),
  retainStorageOnDelete: z
    .boolean()
    .default(false)
    .describe('Keep the storage volume (the disks) when the VM is deleted or replaced.'),
  adopt: z
    .strictObject({
      container: z.string().min(1).optional(),
      volume: z.string().min(1).optional(),
    })
    .refine(
      (a) => Boolean(a.container) !== Boolean(a.volume),
      'give exactly one of adopt.container or adopt.volume',
    )
    .optional()
    .describe(
      "Take over an existing windock VM's container (replaced by this VM's on the same volume) or a retained volume. Used at create only.",
    ),
  gpu: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The id of a GpuAssignment for this VM on its host: the GPU is passed through with VFIO. Restart tier.',
    ),
  image: z
    .string()
    .min(1)
    .optional()
    .describe("The windock image to run; default: the provider's (windock:image). Restart tier."),
  shares: sharesInput,
  shareAuth: shareAuthInput,
  usb: usbInput,
  audio: audioInput,
  recording: recordingInput,
  drivers: driversInput
    .optional()
    .describe(
      'The virtio drivers ISO attached beside install media (kind "windows", "url" or "iso"): default the catalogue\'s virtio-win ISO (a pinned, checksummed release); a URL, an ISO on the host, or kind "none". Applies to a new install only.',
    ),
  unattend: unattendInput
    .optional()
    .describe(
      'Unattended Windows setup for media of kind "windows", "url" or "iso": settings windock writes into an answer file (admin, locale, time zone, domain join, RDP, first-logon commands), or { file } for your own answer file. Applies to a new install only: a change is recorded, the installed system is not touched.',
    ),
  labels: z
    .record(z.string().regex(/^[a-z0-9.-]+$/), z.string().max(256))
    .default({})
    .describe('Labels recorded in state and put on the container at its next restart.'),
});

export const windowsVmInputs = windowsVmInputFields
  .superRefine((vm, ctx) => {
    for (const issue of mediaRequirementIssues(vm))
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    for (const issue of unattendRefinement(vm))
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    for (const issue of networkIssues(vm))
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    const seen = new Set<string>();
    vm.disks.forEach((disk, i) => {
      if (seen.has(disk.name))
        ctx.addIssue({
          code: 'custom',
          path: ['disks', i, 'name'],
          message: `duplicate disk "${disk.name}": names must be unique`,
        });
      seen.add(disk.name);
    });
    // The rdp and console inputs own their names in the portAddresses output.
    const portNames = new Set<string>([
      ...(vm.rdp.enabled ? ['rdp'] : []),
      ...(vm.console.enabled ? ['console'] : []),
    ]);
    vm.ports.forEach((port, i) => {
      if (portNames.has(port.name))
        ctx.addIssue({
          code: 'custom',
          path: ['ports', i, 'name'],
          message: `duplicate port "${port.name}": names must be unique ("rdp" and "console" name the rdp and console inputs in portAddresses); rename it`,
        });
      portNames.add(port.name);
    });
    if (vm.network === 'none' && (vm.ports.length > 0 || vm.rdp.enabled)) {
      ctx.addIssue({
        code: 'custom',
        path: ['network'],
        message:
          'network "none" has no NIC: remove ports and set rdp.enabled to false, or use network "user"',
      });
    }
    if (Boolean(vm.media) === Boolean(vm.cloneFrom)) {
      ctx.addIssue({
        code: 'custom',
        path: ['media'],
        message: 'give exactly one of media (a new VM) or cloneFrom (a linked clone of a snapshot)',
      });
    }
    if (vm.tpm && vm.firmware === 'bios') {
      ctx.addIssue({
        code: 'custom',
        path: ['tpm'],
        message: 'a TPM needs UEFI: set firmware to "uefi-secure" (Windows 11) or "uefi"',
      });
    }
    if (vm.network === 'none' && vm.shares.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['shares'],
        message:
          'network "none" has no NIC, so the guest cannot reach its shares: remove shares or use network "user"',
      });
    }
    if (vm.guestAgent === false && vm.readiness === 'agent') {
      ctx.addIssue({
        code: 'custom',
        path: ['readiness'],
        message: 'readiness "agent" needs guestAgent: true',
      });
    }
  })
  .transform((vm) => ({
    ...vm,
    // No network and no nics: the default "user" NIC, as state before nics always had it.
    ...(vm.nics ? {} : { network: vm.network ?? 'user' }),
    disks: [...vm.disks].sort((a, b) => a.name.localeCompare(b.name)),
    ports: [...vm.ports].sort((a, b) => a.name.localeCompare(b.name)),
    shares: [...vm.shares].sort((a, b) => a.name.localeCompare(b.name)),
  }));

export type WindowsVmInputs = z.output<typeof windowsVmInputs>;
