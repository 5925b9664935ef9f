import type { QmpClient } from '../../../lib/qmp/qmp-client';
import { readFileSync } from 'node:fs';
import { CONTAINER_PATHS, parseVmSpec, RUNTIME_PATHS, STORAGE_PATHS, type VmSpec } from '../../../contract';
import { DEFAULT_RECORDING } from '../../../contract/recording';
import { recordingHandler } from '../recording/commands';
import { Recorder } from '../recording/recorder';
import { startControlServer } from './server';

/**
 * The recording settings of the spec file as it is now: the provider rewrites it for a live
 * change of the recording input. Falls back to the spec the VM started with.
 */
function currentRecordingSettings(started: Pick<VmSpec, 'recording'>) {
  try {
    return parseVmSpec(JSON.parse(readFileSync(CONTAINER_PATHS.spec, 'utf8'))).recording ?? DEFAULT_RECORDING;
  } catch {
    return started.recording ?? DEFAULT_RECORDING;
  }
}

/**
 * Once QMP is connected: the control channel with its recorder, and the recording from boot
 * when the spec asks for it. `close` stops the channel and finalizes a running recording
 * (called when QEMU has exited: the last screenshots are in, the file gets its name).
 */
export function startControl(
  monitor: QmpClient,
  spec: Pick<VmSpec, 'recording'>,
  log: (line: string) => void,
): { close(): Promise<void> } {
  const recorder = new Recorder({
    qmp: monitor,
    dir: STORAGE_PATHS.recordingsDir,
    framePath: `${CONTAINER_PATHS.run}/recording-frame.ppm`,
    defaults: () => currentRecordingSettings(spec),
    log,
  });
  const server = startControlServer(
    RUNTIME_PATHS.control,
    recordingHandler(recorder, STORAGE_PATHS.recordingsDir),
    log,
  );
  if (spec.recording?.onStart) {
    void recorder
      .start()
      .catch((error: Error) => log(`WARNING: recording from boot failed: ${error.message}`));
  }
  return {
    async close() {
      server.close();
      await recorder.stopAll();
    },
  };
}
