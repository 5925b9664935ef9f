import type Dockerode from 'dockerode';
import {
  controlResponse,
  type ActiveRecording,
  type ControlRequest,
  type FinishedRecording,
  type RecordingFile,
} from '../../contract/control';
import type { RecordingFormat } from '../../contract/recording';
import { execOutput } from '../docker/exec-output';

/** A VM on a host: its Docker client and container (name or id). */
export interface RecordingVmRef {
  docker: Dockerode;
  container: string;
}

/** The control channel refused the request or could not be reached; the message says why. */
export class RecordingControlError extends Error {
  override readonly name: string = 'RecordingControlError';
}

/** One request to the supervisor's control channel through `docker exec windock-supervisor control`. */
export async function controlRequestOnVm(ref: RecordingVmRef, request: ControlRequest) {
  const result = await execOutput(ref.docker, ref.container, [
    'windock-supervisor',
    'control',
    JSON.stringify(request),
  ]);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (!line) {
    throw new RecordingControlError(
      `the control channel of ${ref.container} did not answer (exit ${result.exitCode}): ${result.stderr.trim() || 'is the VM running?'}`,
    );
  }
  const response = controlResponse.parse(JSON.parse(line));
  if (!response.ok) throw new RecordingControlError(response.error);
  return response;
}

export async function startRecording(
  ref: RecordingVmRef,
  options: { name?: string; framesPerSecond?: number; format?: RecordingFormat } = {},
): Promise<ActiveRecording> {
  const response = await controlRequestOnVm(ref, { command: 'record-start', ...options });
  if (!('recording' in response)) throw new RecordingControlError('unexpected answer to record-start');
  return response.recording;
}

/** Stops the running recording; resolves once the file is finalized. */
export async function stopRecording(ref: RecordingVmRef): Promise<FinishedRecording> {
  const response = await controlRequestOnVm(ref, { command: 'record-stop' });
  if (!('stopped' in response)) throw new RecordingControlError('unexpected answer to record-stop');
  return response.stopped;
}

export async function recordingStatus(ref: RecordingVmRef): Promise<ActiveRecording | null> {
  const response = await controlRequestOnVm(ref, { command: 'record-status' });
  if (!('active' in response)) throw new RecordingControlError('unexpected answer to record-status');
  return response.active;
}

export async function listRecordings(ref: RecordingVmRef): Promise<RecordingFile[]> {
  const response = await controlRequestOnVm(ref, { command: 'record-list' });
  if (!('files' in response)) throw new RecordingControlError('unexpected answer to record-list');
  return response.files;
}

/**
 * The live tier of the `recording` input on a running VM: turning `onStart` on starts a
 * recording now (unless one runs), turning it off (or removing the input) stops the running
 * one. Frame rate and format changes apply to the next recording (the supervisor reads its
 * defaults from the rewritten spec).
 */
export async function applyRecordingChange(
  ref: RecordingVmRef,
  before: { onStart: boolean } | undefined,
  after: { onStart: boolean } | undefined,
): Promise<void> {
  const was = before?.onStart ?? false;
  const now = after?.onStart ?? false;
  if (was === now) return;
  const active = await recordingStatus(ref);
  if (now && !active) await startRecording(ref);
  if (!now && active) await stopRecording(ref);
}
