import { parseUsbListing, usbFailures } from './usb-preflight';

// No USB hardware here: these read listings as the helper prints them from a host's sysfs.
const listing = '1-1 1d6b 0002\n1-1.4 046d c52b\n2-3 0781 5567\n';

describe('USB preflight (listings of a host sysfs, no USB hardware here)', () => {
  it('parses the helper listing; a host without a USB bus is told apart from one without devices', () => {
    expect(parseUsbListing(listing)).toEqual([
      { port: '1-1', vendorId: '1d6b', productId: '0002' },
      { port: '1-1.4', vendorId: '046d', productId: 'c52b' },
      { port: '2-3', vendorId: '0781', productId: '5567' },
    ]);
    expect(parseUsbListing('')).toEqual([]);
    expect(parseUsbListing('WINDOCK-NO-USB-BUS\n')).toBeUndefined();
  });

  it('accepts devices present by vendor:product or by bus-port', () => {
    expect(usbFailures(['046d:c52b', '2-3'], parseUsbListing(listing), 'lab-1')).toEqual([]);
  });

  it('names a missing device, what the host has, and the fix', () => {
    expect(usbFailures(['1234:5678', '1-2'], parseUsbListing(listing), 'lab-1')).toEqual([
      {
        property: 'usb',
        reason: expect.stringMatching(
          /^usb: no USB device 1234:5678 on host "lab-1" \(it has 1-1 = 1d6b:0002, 1-1.4 = 046d:c52b, 2-3 = 0781:5567\): plug it in/,
        ),
      },
      { property: 'usb', reason: expect.stringMatching(/^usb: no USB device 1-2 on host "lab-1"/) },
    ]);
  });

  it('refuses USB on a host without a USB bus, and checks nothing when no USB is asked for', () => {
    expect(usbFailures(['046d:c52b'], undefined, 'local')).toEqual([
      { property: 'usb', reason: expect.stringMatching(/host "local" has no USB bus/) },
    ]);
    expect(usbFailures([], undefined, 'local')).toEqual([]);
  });
});
