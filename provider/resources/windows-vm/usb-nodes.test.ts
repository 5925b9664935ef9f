import type { UsbDeviceSpec } from '../../../contract';
import { usbNodeNames } from './usb-nodes';
import { parseUsbListing } from './usb-preflight';

// No USB hardware here: a listing as the helper prints it from a host's sysfs.
const host = parseUsbListing(
  '1-1 1d6b 0002 1 2\n1-1.4 046d c52b 1 4\n1-1.3 0781 5567 1 3\n2-3 046d c52b 2 17\n',
)!;
const byId: UsbDeviceSpec = {
  id: 'usbhost0',
  match: { kind: 'vendor-product', vendorId: '0x046d', productId: '0xc52b' },
};
const byPort: UsbDeviceSpec = { id: 'usbhost1', match: { kind: 'bus-port', bus: 1, port: '1.3' } };

describe('the USB device nodes of a spec on a host (a listing, no USB hardware here)', () => {
  it('reads bus and device numbers from the listing', () => {
    expect(host[1]).toEqual({ port: '1-1.4', vendorId: '046d', productId: 'c52b', busnum: 1, devnum: 4 });
  });

  it('finds every node a vendor:product names and the one a bus-port names, nothing else', () => {
    expect(usbNodeNames([byId], host)).toEqual(['001/004', '002/017']);
    expect(usbNodeNames([byPort], host)).toEqual(['001/003']);
    expect(usbNodeNames([byId, byPort, { ...byPort, id: 'usbhost2' }], host)).toEqual([
      '001/003',
      '001/004',
      '002/017',
    ]);
  });

  it('a device not plugged in, or a listing without numbers, gives no node', () => {
    expect(usbNodeNames([{ ...byPort, match: { kind: 'bus-port', bus: 3, port: '1' } }], host)).toEqual([]);
    expect(usbNodeNames([byId], parseUsbListing('1-1.4 046d c52b\n')!)).toEqual([]);
  });
});
