import type { UsbDeviceSpec } from '../../../contract';

/** The spec as this concern reads it: `usb` is absent on a VM without USB passthrough. */
interface UsbView {
  usb?: UsbDeviceSpec[];
}

/** Its own xHCI controller, apart from the one the tablet sits on; 8 USB2 and 8 USB3 ports. */
export const USB_PASSTHROUGH_CONTROLLER = 'usb-passthrough';

/**
 * USB passthrough: a qemu-xhci controller and a usb-host device per spec entry, matched by
 * vendor and product id or by host bus and port path. QEMU starts even when the device is
 * absent (the port stays empty). Pure.
 */
export function usbArgs(spec: UsbView): string[] {
  const devices = spec.usb ?? [];
  if (devices.length === 0) return [];
  const args = ['-device', `qemu-xhci,id=${USB_PASSTHROUGH_CONTROLLER},p2=8,p3=8`];
  for (const device of devices) {
    const match =
      device.match.kind === 'vendor-product'
        ? `vendorid=${device.match.vendorId},productid=${device.match.productId}`
        : `hostbus=${device.match.bus},hostport=${device.match.port}`;
    args.push('-device', `usb-host,bus=${USB_PASSTHROUGH_CONTROLLER}.0,id=${device.id},${match}`);
  }
  return args;
}
