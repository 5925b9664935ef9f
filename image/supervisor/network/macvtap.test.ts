import { macvtapCommands, macvtapDevicePath, parseDeviceNumbers } from './macvtap';
import { ownNicFixture } from './fixtures';

describe('macvtap', () => {
  it('makes a bridge-mode macvtap with the guest MAC on the uplink, replacing an earlier one', () => {
    const { cleanup, create } = macvtapCommands(ownNicFixture, { ifname: 'eth1', v4: '192.168.50.10' });
    expect(cleanup).toEqual([['link', 'del', 'mvt-net2']]);
    expect(create.map((args) => args.join(' '))).toEqual([
      'link add link eth1 name mvt-net2 address 52:54:00:12:b4:56 type macvtap mode bridge',
      'link set mvt-net2 allmulticast on',
      'link set mvt-net2 up',
    ]);
  });

  it('reads the device numbers from sysfs', () => {
    expect(parseDeviceNumbers('246:1\n')).toEqual({ major: 246, minor: 1 });
    expect(() => parseDeviceNumbers('garbage')).toThrow(/unexpected device numbers "garbage"/);
    expect(macvtapDevicePath(7)).toBe('/dev/tap7');
  });
});
