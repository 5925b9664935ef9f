import { z } from 'zod';
import { recordingFormat, recordingName } from './recording';

/**
 * The supervisor's control channel (RUNTIME_PATHS.control): a unix socket in the container,
 * one JSON request per line, each answered with one JSON line. The provider reaches it with
 * `docker exec <container> windock-supervisor control '<request>'`, which prints the answer
 * and exits 0 when it is `ok`.
 */
export const controlRequest = z.discriminatedUnion('command', [
  z.strictObject({
    command: z.literal('record-start'),
    /** Default: the start time, like 2025-01-31T12-00-00Z. */
    name: recordingName.optional(),
    framesPerSecond: z.number().int().min(1).max(30).optional(),
    format: recordingFormat.optional(),
  }),
  z.strictObject({ command: z.literal('record-stop') }),
  z.strictObject({ command: z.literal('record-status') }),
  z.strictObject({ command: z.literal('record-list') }),
]);

/**
 * One file of a recording. A recording keeps the screen's size: when the guest changes its
 * resolution, the file so far is finalized and the recording goes on in a new file at the new
 * size (`<name>.part2.<format>`, `.part3`...), so a recording from boot does not stay at the
 * firmware's size.
 */
export const recordingSegment = z.strictObject({
  file: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  /** Frames in this file (so far, while it is being written). */
  frames: z.number().int(),
});

export const activeRecording = z.strictObject({
  name: z.string(),
  /** The file it becomes once finalized: the first segment's. */
  file: z.string(),
  format: recordingFormat,
  framesPerSecond: z.number(),
  startedAt: z.string(),
  /** Frames written so far (screenshots repeated to keep real time count too). */
  frames: z.number().int(),
  /** Width and height of the file being written now (the screen's current size). */
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  /** Its files in order, one per screen size (the last one is being written). */
  segments: z.array(recordingSegment),
});

export const finishedRecording = z.strictObject({
  /** The first file (`<name>.<format>`). */
  file: z.string(),
  /** Frames in all files. */
  frames: z.number().int(),
  seconds: z.number(),
  /** Size of the last file. */
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  /** Every file of the recording, in order. */
  segments: z.array(recordingSegment),
});

export const recordingFile = z.strictObject({
  file: z.string(),
  /** The recording the file belongs to (its name; "audio-<time>" for captured sound). */
  recording: z.string(),
  /** 1 for `<name>.<format>`, N for `<name>.partN.<format>` (a later screen size). */
  segment: z.number().int(),
  bytes: z.number().int(),
  modifiedAt: z.string(),
  /** Still being written (".partial"), or left unfinished by a container that was killed. */
  partial: z.boolean(),
});

export const controlResponse = z.union([
  z.strictObject({ ok: z.literal(false), error: z.string() }),
  z.strictObject({ ok: z.literal(true), recording: activeRecording }),
  z.strictObject({ ok: z.literal(true), stopped: finishedRecording }),
  z.strictObject({ ok: z.literal(true), active: activeRecording.nullable() }),
  z.strictObject({ ok: z.literal(true), files: z.array(recordingFile) }),
]);

export type ControlRequest = z.infer<typeof controlRequest>;
export type ControlResponse = z.infer<typeof controlResponse>;
export type ActiveRecording = z.infer<typeof activeRecording>;
export type FinishedRecording = z.infer<typeof finishedRecording>;
export type RecordingFile = z.infer<typeof recordingFile>;
export type RecordingSegment = z.infer<typeof recordingSegment>;
