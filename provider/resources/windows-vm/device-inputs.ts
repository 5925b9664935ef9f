import { z } from 'zod';
import type { AudioSpec, RecordingSpec, UsbDeviceSpec } from '../../../contract';

const VENDOR_PRODUCT = /^([0-9a-f]{4}):([0-9a-f]{4})$/;
const BUS_PORT = /^([1-9][0-9]{0,2})-([1-9][0-9]?(?:\.[1-9][0-9]?){0,5})$/;

/** One host USB device: "046d:c52b" (vendor:product, as lsusb shows) or "1-1.4" (bus-port, as in /sys/bus/usb/devices). */
export const usbDeviceInput = z
  .string()
  .trim()
  .toLowerCase()
  .refine(
    (value) =>
      VENDOR_PRODUCT.test(value) || (BUS_PORT.test(value) && Number(BUS_PORT.exec(value)![1]) <= 255),
    'give a USB device as vendor:product ("046d:c52b", from lsusb) or bus-port ("1-1.4", from /sys/bus/usb/devices)',
  );

export const usbInput = z
  .array(usbDeviceInput)
  .max(8, 'at most 8 USB devices')
  .default([])
  .superRefine((devices, ctx) => {
    devices.forEach((device, i) => {
      if (devices.indexOf(device) !== i)
        ctx.addIssue({ code: 'custom', path: [i], message: `USB device "${device}" is listed twice` });
    });
  })
  .transform((devices) => [...devices].sort())
  .describe(
    'Host USB devices passed through, as "vendor:product" ("046d:c52b") or "bus-port" ("1-1.4"). They must be plugged in when the VM starts; the container then gets /dev/bus/usb and USB device access (major 189), nothing more. A missing device leaves its port empty. USB devices prevent memory snapshots. Restart tier.',
  );

export const audioInput = z
  .strictObject({
    microphone: z
      .boolean()
      .default(false)
      .describe(
        'Give the guest a line-in it sees as a microphone (hda-duplex); silent, as no host sound reaches the container.',
      ),
    capture: z
      .enum(['none', 'wav'], { error: 'choose "none" (sound goes nowhere) or "wav" (saved in the volume)' })
      .default('none')
      .describe(
        '"none": sound goes nowhere; "wav": the guest\'s sound is written to /storage/recordings/audio.wav in the VM\'s volume while the VM runs (16-bit stereo 44.1 kHz: about 10 MiB a minute, 600 MiB an hour, whenever the guest\'s sound output is running, silence included; a WAV file holds at most 4 GiB). It is not rotated while the VM runs; at the next start of the VM it is renamed audio-<time it was started>.wav, one file per run. windock never deletes these files: remove old ones with `docker run --rm -v <volume>:/storage ...` or keep capture "none" for long-running VMs.',
      ),
  })
  .optional()
  .describe('A sound card (Intel HDA) for the guest. Leave out for none. Restart tier.');

export const recordingInput = z
  .strictObject({
    onStart: z.boolean().default(false).describe('Record from every boot until the VM stops.'),
    framesPerSecond: z
      .number()
      .int('give a whole number of frames per second, from 1 to 30')
      .min(1, 'give at least 1 frame per second (1 to 30)')
      .max(30, 'give at most 30 frames per second (1 to 30)')
      .default(2)
      .describe('Frames per second (1-30).'),
    format: z
      .enum(['webm', 'mp4'], { error: 'choose "webm" (VP8) or "mp4" (H.264)' })
      .default('webm')
      .describe('"webm" (VP8) or "mp4" (H.264).'),
  })
  .optional()
  .describe(
    "Screen recording into the VM's storage (/storage/recordings/<name>.webm|mp4): from boot with onStart, or started and stopped with `windock record start|stop`. These settings are the defaults of every recording. When the guest changes its screen size the recording goes on in a new file at the new size (<name>.part2.webm, .part3...; `windock record list` shows them together). Live tier: turning onStart on starts a recording in a running VM, turning it off stops the running one.",
  );

/** USB inputs as spec entries (ids usbhost0...). Pure. */
export function usbSpec(devices: string[]): UsbDeviceSpec[] {
  return devices.map((device, i) => {
    const vp = VENDOR_PRODUCT.exec(device);
    if (vp)
      return {
        id: `usbhost${i}`,
        match: { kind: 'vendor-product', vendorId: `0x${vp[1]}`, productId: `0x${vp[2]}` },
      };
    const bp = BUS_PORT.exec(device)!;
    return { id: `usbhost${i}`, match: { kind: 'bus-port', bus: Number(bp[1]), port: bp[2]! } };
  });
}

export function audioSpecOf(audio: z.output<typeof audioInput>): AudioSpec | undefined {
  return audio ? { microphone: audio.microphone, backend: audio.capture } : undefined;
}

export function recordingSpecOf(recording: z.output<typeof recordingInput>): RecordingSpec | undefined {
  return recording ? { ...recording } : undefined;
}
