import { z } from 'zod';
import { inputsWithout } from '../common/inputs-of';
import { snapshotTag } from '../../vm/snapshot-record';

/** Inputs of WindowsSnapshot. Everything but the description is identity: a change replaces it. */
export const windowsSnapshotInputs = z.strictObject({
  vm: z
    .string()
    .min(1, 'the VM (WindowsVm.vmUuid)')
    .describe(
      "The VM's UUID (its WindowsVm's vmUuid output): a replaced VM is another VM, and takes its snapshots with it. Replace tier.",
    ),
  host: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'a host name from the windock:hosts stack config')
    .default('local')
    .describe(
      "The VM's host (the same as its WindowsVm's), from the windock:hosts stack config. Replace tier.",
    ),
  containerName: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'a container name (WindowsVm.containerName)')
    .describe("The VM's container (its WindowsVm's containerName output). Replace tier."),
  name: snapshotTag.describe(
    "The snapshot's name in the VM (QEMU's tag); the SDK's default: the resource name. Replace tier.",
  ),
  memory: z
    .boolean()
    .default(true)
    .describe(
      'With RAM, device and TPM state: a restore resumes the running guest, and the VM pauses only while saving. false: the disks only (file systems frozen through the guest agent), restored by a restart. Replace tier.',
    ),
  description: z.string().max(1024).default('').describe('Free text kept with the snapshot. State only.'),
});

export type WindowsSnapshotInputs = z.output<typeof windowsSnapshotInputs>;

/** Fields whose change replaces the snapshot (a new one is taken, the old one deleted). */
export const IDENTITY_FIELDS = ['vm', 'host', 'containerName', 'name', 'memory'] as const;

export const windowsSnapshotComputed = z.object({
  stateVersion: z.number().int().describe('Version of the state shape.'),
  createdAt: z.string().describe('When it was taken.'),
  vmStateBytes: z.number().describe('RAM/device state bytes (0 for a disk-only snapshot).'),
  hardware: z
    .record(z.string(), z.unknown())
    .describe('The hardware it pins (checked before every restore).'),
  hardwareHash: z.string().describe('Hash of that hardware.'),
  specHash: z.string().describe('Hash of the VM spec at the time.'),
});
export type WindowsSnapshotComputed = z.infer<typeof windowsSnapshotComputed>;

export type WindowsSnapshotOutputs = WindowsSnapshotInputs & WindowsSnapshotComputed;

export const STATE_VERSION = 1;

export const snapshotInputsOf = inputsWithout(windowsSnapshotComputed);
