import { sampleSpec } from '../../../contract/sample-spec';
import { vmSpec } from '../../../contract';
import { qemuArgv } from './argv';
import { DEBIAN_FIRMWARE } from './host-facts';
import { usbArgs } from './usb';

const devicesOf = (argv: string[]) => argv.flatMap((arg, i) => (arg === '-device' ? [argv[i + 1]!] : []));

describe('usbArgs', () => {
  it('adds nothing (no controller) without USB devices', () => {
    expect(usbArgs(sampleSpec())).toEqual([]);
    expect(usbArgs({ usb: [] })).toEqual([]);
  });

  it('matches a device by vendor and product id on its own xHCI controller', () => {
    expect(
      devicesOf(
        usbArgs({
          usb: [
            { id: 'usbhost0', match: { kind: 'vendor-product', vendorId: '0x046d', productId: '0xc52b' } },
          ],
        }),
      ),
    ).toEqual([
      'qemu-xhci,id=usb-passthrough,p2=8,p3=8',
      'usb-host,bus=usb-passthrough.0,id=usbhost0,vendorid=0x046d,productid=0xc52b',
    ]);
  });

  it('matches a device by host bus and port path', () => {
    expect(
      devicesOf(
        usbArgs({
          usb: [
            { id: 'usbhost0', match: { kind: 'bus-port', bus: 1, port: '1.4' } },
            { id: 'usbhost1', match: { kind: 'bus-port', bus: 3, port: '2' } },
          ],
        }),
      ),
    ).toEqual([
      'qemu-xhci,id=usb-passthrough,p2=8,p3=8',
      'usb-host,bus=usb-passthrough.0,id=usbhost0,hostbus=1,hostport=1.4',
      'usb-host,bus=usb-passthrough.0,id=usbhost1,hostbus=3,hostport=2',
    ]);
  });

  it('is part of the whole command line, apart from the tablet controller', () => {
    const spec = vmSpec.parse(
      sampleSpec({
        usb: [{ id: 'usbhost0', match: { kind: 'vendor-product', vendorId: '0x0781', productId: '0x5567' } }],
      }),
    );
    const devices = devicesOf(qemuArgv(spec, { accelerator: 'tcg', firmwareFiles: DEBIAN_FIRMWARE }));
    expect(devices).toContain('qemu-xhci,id=usb-passthrough,p2=8,p3=8');
    expect(devices).toContain('qemu-xhci,id=usb0');
    const ids = devices.map((d) => /(?:^|,)id=([^,]+)/.exec(d)?.[1]).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('the spec refuses ids QEMU would confuse and malformed matches', () => {
    const bad = [
      { id: 'usb0', match: { kind: 'vendor-product', vendorId: '0x046d', productId: '0xc52b' } },
      { id: 'usbhost0', match: { kind: 'vendor-product', vendorId: '046d', productId: '0xc52b' } },
      { id: 'usbhost0', match: { kind: 'bus-port', bus: 0, port: '1' } },
      { id: 'usbhost0', match: { kind: 'bus-port', bus: 1, port: '1-4' } },
    ];
    for (const device of bad)
      expect(vmSpec.safeParse({ ...sampleSpec(), usb: [device] }).success).toBe(false);
  });
});
