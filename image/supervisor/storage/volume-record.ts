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
  /** How the system disk was first made ("blank", "import:<path>", "block-device:<dev>"). */
  systemDiskOrigin: z.string(),
});
export type VolumeRecord = z.infer<typeof volumeRecord>;
