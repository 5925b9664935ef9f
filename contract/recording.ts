import { z } from 'zod';

/** A recording's name: the file is /storage/recordings/<name>.<format>. */
export const recordingName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/,
    'letters, digits, ".", "_" and "-" (max 80), starting with a letter or digit',
  )
  .refine((name) => !name.endsWith('.partial'), 'names ending in ".partial" are reserved')
  .refine(
    (name) => !/\.part[0-9]+$/.test(name),
    'names ending in ".part<N>" are reserved for the later files of a recording',
  );

export const recordingFormat = z.enum(['webm', 'mp4']);

/**
 * Screen recording into the VM's storage (/storage/recordings): frames from QMP `screendump`
 * encoded by ffmpeg (webm: VP8, mp4: H.264) at a constant frame rate in real time. `onStart`
 * records from boot; recordings are also started and stopped at run time through the
 * supervisor's control channel, with these settings as the defaults. A recording is written
 * as `<name>.<format>.partial` and gets its name once finalized (on stop or VM shutdown). When
 * the guest's screen changes size, the file so far is finalized and the recording goes on in
 * `<name>.part2.<format>` (then `.part3`...) at the new size.
 */
export const recordingSpec = z.strictObject({
  onStart: z.boolean(),
  framesPerSecond: z.number().int().min(1).max(30),
  format: recordingFormat,
});

export type RecordingSpec = z.infer<typeof recordingSpec>;
export type RecordingFormat = z.infer<typeof recordingFormat>;

/** Settings when the spec has no `recording` section (recordings on request only). */
export const DEFAULT_RECORDING: RecordingSpec = { onStart: false, framesPerSecond: 2, format: 'webm' };
