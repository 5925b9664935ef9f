import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import type { RecordingFile } from '../../../contract/control';
import type { VmSpec } from '../../../contract';
import { AUDIO_WAV_FILE } from '../qemu/audio';
import { defaultRecordingName, recordingOfFile } from './frames';

/**
 * The files in the recordings folder: videos, captured audio, unfinished ".partial" files; the
 * files of one recording together, in segment order.
 */
export async function listRecordings(dir: string): Promise<RecordingFile[]> {
  if (!existsSync(dir)) return [];
  const names = (await readdir(dir)).filter((name) => /\.(webm|mp4|wav)(\.partial)?$/.test(name));
  const files = await Promise.all(
    names.map(async (name) => {
      const info = await stat(`${dir}/${name}`);
      return {
        file: `${dir}/${name}`,
        ...recordingOfFile(name),
        bytes: info.size,
        modifiedAt: info.mtime.toISOString(),
        partial: name.endsWith('.partial'),
      };
    }),
  );
  return files.sort((a, b) =>
    a.recording === b.recording
      ? a.segment - b.segment || a.file.localeCompare(b.file)
      : a.recording < b.recording
        ? -1
        : 1,
  );
}

/**
 * Before QEMU starts: the recordings folder exists when the spec records anything, and the
 * audio a previous run captured (audio.wav) is kept under its start time, so every run has
 * its own file.
 */
export async function prepareRecordings(
  spec: Pick<VmSpec, 'audio' | 'recording'>,
  dir: string,
): Promise<void> {
  if (!spec.recording && spec.audio?.backend !== 'wav') return;
  await mkdir(dir, { recursive: true });
  const wav = AUDIO_WAV_FILE.replace(/^.*\//, `${dir}/`);
  if (existsSync(wav)) {
    const info = await stat(wav);
    const started = info.birthtimeMs > 0 ? info.birthtime : info.mtime;
    await rename(wav, `${dir}/audio-${defaultRecordingName(started)}.wav`);
  }
}
