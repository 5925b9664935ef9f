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

export const activeRecording = z.strictObject({
  name: z.string(),
  /** The file it becomes once finalized. */
  file: z.string(),
  format: recordingFormat,
  framesPerSecond: z.number(),
  startedAt: z.string(),
  /** Frames written so far (screenshots repeated to keep real time count too). */
  frames: z.number().int(),
  /** Width and height of the video (the screen's when the recording started). */
  width: z.number().int().optional(),
  height: z.number().int().optional(),
});

export const finishedRecording = z.strictObject({
  file: z.string(),
  frames: z.number().int(),
  seconds: z.number(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
});

export const recordingFile = z.strictObject({
  file: z.string(),
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
