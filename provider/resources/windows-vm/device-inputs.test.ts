import { vmSpec } from '../../../contract';
import { checkWindowsVm } from './check';
import { planImpact } from './impact';
import { windowsVmInputs } from './inputs';
import { identityFor } from './identity';
import { toVmSpec } from './to-spec';

const media = { kind: 'disk-image', file: '/images/win11.qcow2', format: 'qcow2' };
const base = { name: 'dev-01', media };

function failures(news: Record<string, unknown>): string[] {
  const outcome = checkWindowsVm({}, { ...base, ...news });
  if (outcome.ok) return [];
  return outcome.failures.map((f) => `${f.property} | ${f.reason}`);
}

const specOf = (news: Record<string, unknown>) =>
  vmSpec.parse(
    toVmSpec(
      windowsVmInputs.parse({ ...base, ...news }),
      identityFor('6f1c1d7e-2a4b-4c3d-9e8f-0a1b2c3d4e5f'),
    ),
  );

describe('usb, audio and recording inputs', () => {
  it('USB devices by vendor:product or bus-port become usb-host matches, sorted and lowercased', () => {
    const spec = specOf({ usb: ['1-1.4', '046D:C52B'] });
    expect(spec.usb).toEqual([
      { id: 'usbhost0', match: { kind: 'vendor-product', vendorId: '0x046d', productId: '0xc52b' } },
      { id: 'usbhost1', match: { kind: 'bus-port', bus: 1, port: '1.4' } },
    ]);
  });

  it('no USB, audio or recording input: nothing in the spec', () => {
    const spec = specOf({});
    expect(spec.usb).toBeUndefined();
    expect(spec.audio).toBeUndefined();
    expect(spec.recording).toBeUndefined();
  });

  it('refuses malformed and repeated USB devices at preview, naming the field and the forms it takes', () => {
    for (const bad of ['046d', '046d:c52', 'logitech', '1-0', '0-1', '256-1', '1.4', '1-1-4'])
      expect({ bad, failures: failures({ usb: [bad] }) }).toEqual({
        bad,
        failures: [
          expect.stringMatching(/^usb \| usb\.0: give a USB device as vendor:product \("046d:c52b"/),
        ],
      });
    expect(failures({ usb: ['046d:c52b', '046D:C52B'] })).toEqual([
      expect.stringMatching(/^usb \| usb\.1: USB device "046d:c52b" is listed twice/),
    ]);
    expect(failures({ usb: Array.from({ length: 9 }, (_, i) => `1-${i + 1}`) })).toEqual([
      expect.stringMatching(/^usb \| usb: at most 8 USB devices/),
    ]);
  });

  it('audio: output only by default, a microphone and WAV capture on request', () => {
    expect(specOf({ audio: {} }).audio).toEqual({ microphone: false, backend: 'none' });
    expect(specOf({ audio: { microphone: true, capture: 'wav' } }).audio).toEqual({
      microphone: true,
      backend: 'wav',
    });
    expect(failures({ audio: { capture: 'mp3' } })).toEqual([
      expect.stringMatching(/^audio \| audio\.capture: /),
    ]);
    expect(failures({ audio: { speakers: true } })).toEqual([
      expect.stringMatching(/^audio \| audio: .*speakers/),
    ]);
  });

  it('recording: defaults 2 fps webm, not from boot; frame rate and format checked', () => {
    expect(specOf({ recording: {} }).recording).toEqual({
      onStart: false,
      framesPerSecond: 2,
      format: 'webm',
    });
    expect(failures({ recording: { framesPerSecond: 60 } })).toEqual([
      'recording | recording.framesPerSecond: give at most 30 frames per second (1 to 30)',
    ]);
    expect(failures({ recording: { framesPerSecond: 0 } })).toEqual([
      'recording | recording.framesPerSecond: give at least 1 frame per second (1 to 30)',
    ]);
    expect(failures({ recording: { format: 'avi' } })).toEqual([
      'recording | recording.format: choose "webm" (VP8) or "mp4" (H.264)',
    ]);
    expect(failures({ audio: { capture: 'mp3' } })).toEqual([
      'audio | audio.capture: choose "none" (sound goes nowhere) or "wav" (saved in the volume)',
    ]);
  });

  it('tiers: usb and audio restart the VM, recording is live', () => {
    const before = windowsVmInputs.parse(base);
    const plan = (news: Record<string, unknown>) =>
      planImpact(before, windowsVmInputs.parse({ ...base, ...news }));
    expect(plan({ usb: ['046d:c52b'] })).toMatchObject({ ok: true, tier: 'restart' });
    expect(plan({ audio: {} })).toMatchObject({ ok: true, tier: 'restart' });
    expect(plan({ recording: { onStart: true } })).toMatchObject({ ok: true, tier: 'live' });
  });
});
