import { z } from 'zod';

/**
 * Written into the volume on first start: whose volume this is and where its system disk
 * came from. A volume that belongs to another VM is refused, never reused or wiped.
 */
export const volumeRecord = z.object({
  formatVersion: z.literal(1),
  vmUuid: z.string(),
  vmName: z.string(),
  createdAt: z.string(),
  createdBySpecVersion: z.number(),
  /** How the system disk was first made ("blank", "import:<path>", "block-device:<dev>", "install:<media key>"). */
  systemDiskOrigin: z.string(),
  /** A fresh Windows install: which Windows, from which media. A different install is refused, never redone. */
  install: z
    .object({
      version: z.string(),
      edition: z.string(),
      /** The media's cache key (version, edition, language; a pinned checksum's prefix). */
      mediaKey: z.string(),
      /** Where the media came from, for people ("Evaluation Center windows-server-2022 (en-us)"). */
      mediaSource: z.string(),
      sha256: z.string().optional(),
      startedAt: z.string(),
      /** Set once Windows setup finished (the first-logon beacon). */
      completedAt: z.string().optional(),
    })
    .optional(),
});
export type VolumeRecord = z.infer<typeof volumeRecord>;
