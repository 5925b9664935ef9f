import { z } from 'zod';
import { installMediaSpec } from './install-media';
import { ownAnswerFileSpec, unattendSpec } from './unattend';

/**
 * A fresh Windows install: the unmodified ISO from the media cache, the virtio drivers
 * beside it, and (unattended) an answer file on a small FAT drive. Only used while the
 * volume holds no installed system; the volume records what was installed from which media.
 */
export const installSpec = z.strictObject({
  windows: z.strictObject({
    /** Catalogue version id ("11", "10", "server-2022", ...). */
    version: z.string().regex(/^[a-z0-9.-]+$/),
    edition: z.string().regex(/^[a-z0-9-]+$/),
    /** Evaluation editions expire: the status carries the date. */
    evaluationDays: z.number().int().positive().optional(),
    /**
     * The media's language as a culture ("en-us", "sr-latn-rs") where the provider knows it
     * (v4): Setup's UI language must be one the media carries. Absent: the unattend locale (v3).
     */
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[a-z0-9]{2,4}){0,2}$/)
      .optional(),
  }),
  media: installMediaSpec,
  drivers: installMediaSpec.optional(),
  /**
   * Who fills the host's media cache (v3). "provider": the provider's fetch step did, before this
   * container started; the container mounts the cache read-only and checks every cached file
   * against its media's `sha256` (the pin, or the digest the fetch step returned, kept in state).
   * "vm" (what v2 images did, filled in for v2 documents): the supervisor fetches into a
   * writable cache itself.
   */
  fetchedBy: z.enum(['provider', 'vm']),
  unattend: unattendSpec.optional(),
  /** The user's own answer file (v4), in place of unattend. */
  answerFile: ownAnswerFileSpec.optional(),
});

export type InstallSpec = z.infer<typeof installSpec>;
