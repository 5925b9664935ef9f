import { z } from 'zod';

const hex4 = z.string().regex(/^0x[0-9a-f]{4}$/, 'four lowercase hex digits like 0x046d');

/**
 * A host USB device passed through (QEMU usb-host on its own xHCI controller). The container
 * gets the device nodes of the devices listed here only (/dev/bus/usb/BBB/DDD, found on the
 * host when the container is made), never the whole /dev/bus/usb. A device that is absent
 * then does not stop the VM: its port stays empty.
 */
export const usbDeviceSpec = z.strictObject({
  /** QEMU's device id (`usbhost0`...), unique in the spec. */
  id: z.string().regex(/^usbhost[0-9]{1,2}$/),
  match: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('vendor-product'), vendorId: hex4, productId: hex4 }),
    /** A physical port: bus number and port path ("1", "1.4"), as in /sys/bus/usb/devices/1-1.4. */
    z.strictObject({
      kind: z.literal('bus-port'),
      bus: z.number().int().min(1).max(255),
      port: z.string().regex(/^[1-9][0-9]?(\.[1-9][0-9]?){0,5}$/),
    }),
  ]),
});

/**
 * Sound: an Intel HDA controller (ich9-intel-hda) with an output codec (hda-output), or a
 * codec with a line-in the guest sees as a microphone (hda-duplex).
 */
export const audioSpec = z.strictObject({
  microphone: z.boolean(),
  /**
   * "none": the guest has a sound card, sound goes nowhere (and the microphone is silent);
   * "wav": output is captured into /storage/recordings/audio-<start time>.wav.
   */
  backend: z.enum(['none', 'wav']),
});

export type UsbDeviceSpec = z.infer<typeof usbDeviceSpec>;
export type AudioSpec = z.infer<typeof audioSpec>;
