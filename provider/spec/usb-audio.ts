import { z } from 'zod';

const hex4 = z.string().regex(/^0x[0-9a-f]{4}$/, 'four lowercase hex digits like 0x046d');

/** A host USB device passed through (QEMU usb-host on an xHCI controller). */
export const usbDeviceSpec = z.strictObject({
  id: z.string().regex(/^usb[0-9]{1,2}$/),
  match: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('vendor-product'), vendorId: hex4, productId: hex4 }),
    /** A physical port: bus number and port path ("1", "1.4"). */
    z.strictObject({
      kind: z.literal('bus-port'),
      bus: z.number().int().min(1).max(255),
      port: z.string().regex(/^[1-9][0-9]?(\.[1-9][0-9]?){0,5}$/),
    }),
  ]),
});

/** Sound: an Intel HDA controller with an output codec, and a microphone input on request. */
export const audioSpec = z.strictObject({
  output: z.boolean(),
  microphone: z.boolean(),
  /** "none": the guest has a sound card, sound goes nowhere; "wav": output is captured into the VM's storage. */
  backend: z.enum(['none', 'wav']),
});

export type UsbDeviceSpec = z.infer<typeof usbDeviceSpec>;
export type AudioSpec = z.infer<typeof audioSpec>;
