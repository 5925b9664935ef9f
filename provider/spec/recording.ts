import { z } from 'zod';

/**
 * Screen recording into the VM's storage (/storage/recordings). `onStart` records from boot;
 * recordings are also started and stopped at run time through the control channel.
 */
export const recordingSpec = z.strictObject({
  onStart: z.boolean(),
  framesPerSecond: z.number().int().min(1).max(30),
  format: z.enum(['webm', 'mp4']),
});

export type RecordingSpec = z.infer<typeof recordingSpec>;
