import { sampleSpec } from '../../../contract/sample-spec';
import { qemuArgv } from './argv';
import { AUDIO_WAV_FILE, audioArgs } from './audio';
import { DEBIAN_FIRMWARE } from './host-facts';

describe('audioArgs', () => {
  it('adds no sound card without audio', () => {
    expect(audioArgs(sampleSpec())).toEqual([]);
  });

  it('output only: HDA with hda-output on the "none" backend', () => {
    expect(audioArgs({ audio: { microphone: false, backend: 'none' } })).toEqual([
      '-audiodev',
      'none,id=snd0',
      '-device',
      'ich9-intel-hda,id=sound0',
      '-device',
      'hda-output,id=sound0-codec0,bus=sound0.0,cad=0,audiodev=snd0',
    ]);
  });

  it('with a microphone: hda-duplex', () => {
    expect(audioArgs({ audio: { microphone: true, backend: 'none' } })).toContain(
      'hda-duplex,id=sound0-codec0,bus=sound0.0,cad=0,audiodev=snd0',
    );
  });

  it('the "wav" backend writes into the recordings folder of the volume', () => {
    expect(AUDIO_WAV_FILE).toBe('/storage/recordings/audio.wav');
    expect(audioArgs({ audio: { microphone: false, backend: 'wav' } }).slice(0, 2)).toEqual([
      '-audiodev',
      'wav,id=snd0,path=/storage/recordings/audio.wav',
    ]);
  });

  it('is part of the whole command line', () => {
    const argv = qemuArgv(sampleSpec({ audio: { microphone: true, backend: 'wav' } }), {
      accelerator: 'tcg',
      firmwareFiles: DEBIAN_FIRMWARE,
    });
    expect(argv).toContain('ich9-intel-hda,id=sound0');
    expect(argv.filter((a) => a === '-audiodev')).toHaveLength(1);
  });
});
