import { z } from 'zod';

/**
 * Start the VM from saved state instead of booting it (optional; absent: a normal boot).
 * - `snapshot`: an internal snapshot with memory in this VM's own volume (vmstate on the
 *   system disk). Applied once per `requestId`: a later restart of the same container boots
 *   normally from the disks instead of going back again.
 * - `state-file`: a migration stream (RAM, devices, TPM) saved from a snapshot into a clone
 *   base; the disks must hold the same moment (overlays over that base).
 */
export const restoreSpec = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('snapshot'),
    tag: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/),
    requestId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  }),
  z.strictObject({ kind: z.literal('state-file'), path: z.string().startsWith('/') }),
]);

export type RestoreSpec = z.infer<typeof restoreSpec>;

/** Where the supervisor notes the last applied `snapshot` restore (its requestId). */
export const RESTORE_MARKER = '/storage/snapshots/.restored-request';
