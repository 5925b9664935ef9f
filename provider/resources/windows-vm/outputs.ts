import { z } from 'zod';
import { inputsWithout } from '../common/inputs-of';
import type { WindowsVmInputs } from './inputs';

/** Bumped when the shape of the state changes; delete and refresh read older states too. */
export const STATE_VERSION = 1;

/** Outputs echo every input (the engine diffs old outputs against new inputs) plus these. */
export const windowsVmComputed = z.object({
  stateVersion: z.number().int().describe('Version of the state shape (older states stay readable).'),
  changeImpact: z
    .string()
    .describe(
      'In state, what the last applied change did ("last applied: restart: cpu 2 → 4 (...)"); in preview, what the planned one will do and why: none, live, restart (or a restore in place) or replace.',
    ),
  vmUuid: z.string().describe('SMBIOS UUID: the identity of the VM.'),
  macAddress: z.string().describe('Stable MAC address of the first NIC.'),
  serial: z.string().describe('SMBIOS serial number.'),
  containerName: z.string().describe('The Docker container running the VM.'),
  containerId: z.string().describe('Its id (empty while the container is missing).'),
  volumeName: z.string().describe('The storage volume holding the disks, firmware variables and TPM state.'),
  specHash: z.string().describe('Hash of the VM spec the container runs.'),
  phase: z.string().describe('preparing, booting, running, stopped (with the reason), failed, missing.'),
  activeAccelerator: z
    .string()
    .describe('The accelerator QEMU really runs with (kvm, or tcg where KVM is not usable).'),
  publishedPorts: z
    .record(z.string(), z.number())
    .describe('Host ports Docker bound, by "containerPort/protocol".'),
  consoleUrl: z.string().describe('URL of the browser console, with its token.'),
  consoleToken: z.string().describe('Token that opens the console.'),
  consoleCertificateFingerprint: z
    .string()
    .default('')
    .describe(
      "SHA-256 fingerprint of the console's TLS certificate (AA:BB:..), to pin or compare; empty without console.tls.",
    ),
  rdpEndpoint: z.string().describe('host:port of RDP.'),
  portAddresses: z
    .record(z.string(), z.string())
    .default({})
    .describe(
      'host:port of each published port by name: "console", "rdp" and each ports entry\'s name (publishedPorts is keyed by the container\'s side). An address on another host\'s loopback is reached through a tunnel (remoteAccess).',
    ),
  remoteAccess: z
    .string()
    .default('')
    .describe(
      'For a VM on another host (consoleUrl and rdpEndpoint are addresses there): the windock CLI commands that open its console and RDP from here through an SSH tunnel. Empty on the local host.',
    ),
  sharePassword: z
    .string()
    .describe(
      "The share user's password (shareAuth.user) for the VM's shares; empty without password-protected shares.",
    ),
  restartPending: z
    .boolean()
    .describe('A restart-tier change recorded under restartPolicy "pending", not applied yet.'),
  guestAddresses: z.array(z.string()).describe("The guest's IP addresses, from the guest agent."),
  warnings: z.array(z.string()).describe('Warnings from the last change (for example TCG instead of KVM).'),
  cloneBase: z
    .string()
    .describe('The frozen base of a linked clone (JSON), kept so that the clone outlives its source VM.'),
  mediaSha256: z
    .record(z.string(), z.string())
    .describe(
      "SHA-256 of each install medium in the host's media cache, by cache key, as the fetch step verified it: every start of the VM checks the cached file against it.",
    ),
});
export type WindowsVmComputed = z.infer<typeof windowsVmComputed>;

export type WindowsVmOutputs = WindowsVmInputs & WindowsVmComputed;

/** Outputs that carry secrets derived from nothing secret in the inputs. */
export const SECRET_OUTPUTS = ['consoleToken', 'consoleUrl', 'sharePassword'] as const;

/**
 * Input fields that carry passwords or keys, by input: the SDK marks them secret whatever the
 * program passed (a plain string would otherwise land in the state's inputs in plain text).
 */
export const SECRET_INPUT_FIELDS = {
  unattend: ['adminPassword', 'productKey', 'domainJoin'],
  console: ['tls'],
} as const;

/** The input part of old outputs (or of old check results, which carry changeImpact). */
export const inputsOf = inputsWithout(windowsVmComputed);
