import type { ControlHandler } from '../control/server';
import { listRecordings } from './files';
import type { Recorder } from './recorder';

/** The recording commands of the control channel. */
export function recordingHandler(recorder: Recorder, dir: string): ControlHandler {
  return async (request) => {
    switch (request.command) {
      case 'record-start': {
        const { command: _command, ...options } = request;
        return { ok: true, recording: await recorder.start(options) };
      }
      case 'record-stop':
        return { ok: true, stopped: await recorder.stop() };
      case 'record-status':
        return { ok: true, active: recorder.status() };
      case 'record-list':
        return { ok: true, files: await listRecordings(dir) };
    }
  };
}
