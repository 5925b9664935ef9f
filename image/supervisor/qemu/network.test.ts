import type { NetworkSpec } from '../../../contract';
import { sampleSpec } from '../../../contract/sample-spec';
import { networkArgs } from './network';

const egress = { policy: 'internet' as const, allow: [] };

function argsFor(network: NetworkSpec): string[] {
  return networkArgs(sampleSpec({ network }));
}

describe('networkArgs', () => {
  it('user mode: hostfwd per forward, restrict=on for egress "none", ipv6 switch', () => {
    const args = argsFor({
      hostName: 'host.lan',
      nics: [
        {
          mode: 'user',
          name: 'net0',
          model: 'virtio-net-pci',
          mac: '52:54:00:12:34:56',
          ports: [
            { name: 'rdp', protocol: 'tcp', guest: 3389, container: 3389 },
            { name: 'rdp', protocol: 'udp', guest: 3389, container: 3389 },
          ],
          egress: 'none',
          ipv6: false,
        },
      ],
    });
    expect(args).toEqual([
      '-netdev',
      'user,id=net0,ipv4=on,ipv6=off,restrict=on,hostfwd=tcp::3389-:3389,hostfwd=udp::3389-:3389',
      '-device',
      'virtio-net-pci,netdev=net0,mac=52:54:00:12:34:56,romfile=',
    ]);
  });

  it('nat and lan modes open the tap on the NIC bridge, no script, no vhost; each NIC its own MAC', () => {
    const args = argsFor({
      hostName: 'host.lan',
      nics: [
        {
          mode: 'nat',
          name: 'net0',
          model: 'virtio-net-pci',
          mac: '52:54:00:12:34:56',
          ports: [],
          egress,
          subnetV4: '10.0.2.0/24',
        },
        {
          mode: 'lan',
          name: 'net1',
          model: 'e1000e',
          mac: '52:54:00:12:74:56',
          uplink: { subnetV4: '192.168.50.0/24' },
          guestAddress: 'container',
          excludePorts: [8006],
          egress,
          subnetV4: '10.0.3.0/24',
        },
      ],
    });
    expect(args).toEqual([
      '-netdev',
      'tap,id=net0,ifname=tap-net0,script=no,downscript=no,vhost=off',
      '-device',
      'virtio-net-pci,netdev=net0,mac=52:54:00:12:34:56,romfile=',
      '-netdev',
      'tap,id=net1,ifname=tap-net1,script=no,downscript=no,vhost=off',
      '-device',
      'e1000e,netdev=net1,mac=52:54:00:12:74:56,romfile=',
    ]);
  });
});

describe('networkArgs: macvtap NICs and none', () => {
  it('lan "own" NICs take their open macvtap as inherited fds 3, 4.. in NIC order', () => {
    const own = (name: string, mac: string) => ({
      mode: 'lan' as const,
      name,
      model: 'virtio-net-pci' as const,
      mac,
      uplink: { subnetV4: '192.168.50.0/24' },
      guestAddress: 'own' as const,
    });
    const args = argsFor({
      hostName: 'host.lan',
      nics: [
        own('net0', '52:54:00:12:34:56'),
        {
          mode: 'user',
          name: 'net1',
          model: 'e1000e',
          mac: '52:54:00:12:74:56',
          ports: [],
          egress: 'all',
          ipv6: true,
        },
        own('net2', '52:54:00:12:b4:56'),
      ],
    });
    expect(args.filter((_, i) => i % 4 === 1)).toEqual([
      'tap,id=net0,fd=3,vhost=off',
      'user,id=net1,ipv4=on,ipv6=on',
      'tap,id=net2,fd=4,vhost=off',
    ]);
    expect(args[3]).toBe('virtio-net-pci,netdev=net0,mac=52:54:00:12:34:56,romfile=');
  });

  it('no NIC: no netdev at all', () => {
    expect(argsFor({ hostName: 'host.lan', nics: [] })).toEqual([]);
  });
});
