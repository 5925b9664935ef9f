import { z } from 'zod';

export const diskName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/, 'use lowercase letters, digits and "-", starting with a letter (max 31)');

/** Where a disk's content comes from when the volume does not hold it yet. */
export const diskSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('blank') }),
  z.strictObject({
    kind: z.literal('import'),
    /** A file inside the container (for example under /storage/import). */
    path: z.string().startsWith('/'),
    format: z.enum(['qcow2', 'raw', 'vhdx']),
  }),
  z.strictObject({
    kind: z.literal('overlay'),
    /**
     * A linked clone's disk: a qcow2 overlay created over this read-only base file (a frozen
     * clone base, mounted read-only into the container); the base is never written.
     */
    base: z.string().startsWith('/'),
  }),
  z.strictObject({
    kind: z.literal('block-device'),
    /** A host block device passed through as-is; the container gets only this device node. */
    device: z.string().regex(/^\/dev\/[A-Za-z0-9/_-]+$/, 'a device path like /dev/sdb'),
  }),
]);

export const diskSpec = z.strictObject({
  name: diskName,
  /** Grow-only: the image never shrinks a disk (the provider refuses a shrink at preview). */
  sizeMiB: z.number().int().min(64),
  format: z.enum(['qcow2', 'raw']),
  source: diskSource,
  readOnly: z.boolean(),
});

export type DiskSpec = z.infer<typeof diskSpec>;
