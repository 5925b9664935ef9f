import { STORAGE_PATHS, type AudioSpec } from '../../../contract';

interface AudioView {
  audio?: AudioSpec;
}

/**
 * Where the "wav" backend writes. QEMU writes the WAV header's sizes when it exits; the
 * supervisor renames the file to audio-<start time>.wav before the next start
 * (recording/files.ts prepareRecordings). It grows for as long as QEMU runs (image/README.md).
 */
export const AUDIO_WAV_FILE = `${STORAGE_PATHS.recordingsDir}/audio.wav`;

/**
 * Sound: an ICH9 Intel HDA controller with hda-output, or hda-duplex (output and a line-in the
 * guest sees as a microphone), on the "none" or "wav" audio backend. Pure.
 */
export function audioArgs(spec: AudioView): string[] {
  const audio = spec.audio;
  if (!audio) return [];
  const backend = audio.backend === 'wav' ? `wav,id=snd0,path=${AUDIO_WAV_FILE}` : 'none,id=snd0';
  return [
    '-audiodev',
    backend,
    '-device',
    'ich9-intel-hda,id=sound0',
    '-device',
    `${audio.microphone ? 'hda-duplex' : 'hda-output'},id=sound0-codec0,bus=sound0.0,cad=0,audiodev=snd0`,
  ];
}
