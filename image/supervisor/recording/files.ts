import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import type { RecordingFile } from '../../../provider/spec/control';
import type { VmSpec } from '../../../provider/spec';
import { AUDIO_WAV_FILE } from '../qemu/audio';
import { defaultRecordingName } from './frames';

/** The files in the recordings folder, by name: videos, captured audio, unfinished ".partial" files. */
export async function listRecordings(dir: string): Promise<RecordingFile[]> {
  if (!existsSync(dir)) return [];
  const names = (await readdir(dir)).filter((name) => /\.(webm|mp4|wav)(\.partial)?$/.test(name)).sort();
  return Promise.all(
    names.map(async (name) => {
      const info = await stat(`${dir}/${name}`);
      return {
        file: `${dir}/${name}`,
        bytes: info.size,
        modifiedAt: info.mtime.toISOString(),
        partial: name.endsWith('.partial'),
      };
    }),
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
