import { z } from 'zod';
import { snapshotTag } from '../../vm/snapshot-record';

/** Inputs of WindowsSnapshot. Everything but the description is identity: a change replaces it. */
export const windowsSnapshotInputs = z.strictObject({
  /** The VM's UUID (WindowsVm.vmUuid): a replaced VM is another VM, and takes its snapshots with it. */
  vm: z.string().min(1, 'the VM (WindowsVm.vmUuid)'),
  /** The VM's host from the windock:hosts stack config. */
  host: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'a host name from the windock:hosts stack config')
    .default('local'),
  /** The VM's container (WindowsVm.containerName). */
  containerName: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'a container name (WindowsVm.containerName)'),
  /** The snapshot's name in the VM (QEMU's tag). */
  name: snapshotTag,
  /** With RAM, device and TPM state (the VM pauses while saving), or the disks only. */
  memory: z.boolean().default(true),
  description: z.string().max(1024).default(''),
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

const COMPUTED = Object.keys(windowsSnapshotComputed.shape) as Array<keyof WindowsSnapshotComputed>;

export function snapshotInputsOf(values: Record<string, unknown>): Record<string, unknown> {
  const inputs = { ...values };
  for (const key of COMPUTED) delete inputs[key];
  delete inputs.__provider;
  return inputs;
}
