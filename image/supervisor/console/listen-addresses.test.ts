import type { NetworkInterfaceInfo } from 'node:os';
import { sampleSpec } from '../../../contract/sample-spec';
import type { NicSpec, VmSpec } from '../../../contract';
import { consoleListenAddresses, guestSourceCheck } from './listen-addresses';

const entry = (address: string, internal = false) =>
  ({ address, internal, family: address.includes(':') ? 'IPv6' : 'IPv4' }) as NetworkInterfaceInfo;

const interfaces = {
  lo: [entry('127.0.0.1', true), entry('::1', true)],
  eth0: [entry('172.18.0.5'), entry('fe80::1')],
  eth1: [entry('192.168.217.10')],
  'br-net0': [entry('10.0.5.1')],
};

const nics: NicSpec[] = [
  {
    mode: 'nat',
    name: 'net0',
    model: 'virtio-net-pci',
    mac: '52:54:00:00:00:01',
    ports: [],
    egress: { policy: 'all', allow: [] },
    subnetV4: '10.0.5.0/24',
  },
  {
    mode: 'lan',
    name: 'net1',
    model: 'virtio-net-pci',
    mac: '52:54:00:00:00:02',
    uplink: { subnetV4: '192.168.217.0/24' },
    guestAddress: 'own',
  },
];
const spec: VmSpec = { ...sampleSpec(), network: { nics, hostName: 'host.lan' } };

describe('console listen addresses', () => {
  it("listen on the primary network's address only: not loopback, a guest bridge, a LAN or link-local", () => {
    expect(consoleListenAddresses(spec, interfaces)).toEqual(['172.18.0.5']);
    expect(consoleListenAddresses(sampleSpec(), { lo: interfaces.lo, eth0: interfaces.eth0 })).toEqual([
      '172.18.0.5',
    ]);
  });

  it("refuse the container's own addresses (user-mode guests) and guest subnets, not the host's side", () => {
    const refuse = guestSourceCheck(spec, interfaces);
    for (const address of [
      '127.0.0.1',
      '172.18.0.5',
      '::ffff:172.18.0.5',
      '10.0.5.2',
      '192.168.217.10',
      'junk',
    ])
      expect(refuse(address)).toBe(true);
    for (const address of ['172.18.0.1', '::ffff:172.18.0.1', '192.168.217.20', '203.0.113.9'])
      expect(refuse(address)).toBe(false);
  });
});
