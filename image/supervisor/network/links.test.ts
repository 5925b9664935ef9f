import { guestLink } from '../../../contract';
import { natNicFixture } from './fixtures';
import { linkCommands } from './links';

describe('linkCommands', () => {
  it('makes a bridge with the gateway addresses and a root-owned tap on it', () => {
    const { cleanup, create } = linkCommands({ nic: natNicFixture, link: guestLink(natNicFixture) });
    expect(cleanup).toEqual([
      ['link', 'del', 'tap-net0'],
      ['link', 'del', 'br-net0'],
    ]);
    expect(create.map((args) => args.join(' '))).toEqual([
      'link add br-net0 type bridge',
      'address add 10.0.2.1/24 dev br-net0',
      '-6 address add fd00:77::1/64 dev br-net0 nodad',
      'tuntap add dev tap-net0 mode tap user 0 group 0',
      'link set tap-net0 master br-net0',
      'link set tap-net0 up',
      'link set br-net0 up',
    ]);
  });

  it('adds no IPv6 address without a v6 subnet', () => {
    const nic = { ...natNicFixture, subnetV6: undefined };
    const { create } = linkCommands({ nic, link: guestLink(nic) });
    expect(create.some((args) => args.includes('-6'))).toBe(false);
  });
});
