// Shared by this folder's unit tests: a NAT NIC and a LAN NIC as the provider writes them.
import type { NicSpec } from '../../../contract';

export const natNicFixture: Extract<NicSpec, { mode: 'nat' }> = {
  mode: 'nat',
  name: 'net0',
  model: 'virtio-net-pci',
  mac: '52:54:00:12:34:56',
  ports: [
    { name: 'rdp', protocol: 'tcp', guest: 3389, container: 3389 },
    { name: 'rdp', protocol: 'udp', guest: 3389, container: 3389 },
    { name: 'web', protocol: 'tcp', guest: 80, container: 20000 },
  ],
  egress: { policy: 'internet', allow: [] },
  subnetV4: '10.0.2.0/24',
  subnetV6: 'fd00:77::/64',
};

export const lanNicFixture: Extract<NicSpec, { mode: 'lan'; guestAddress: 'container' }> = {
  mode: 'lan',
  name: 'net1',
  model: 'virtio-net-pci',
  mac: '52:54:00:12:74:56',
  uplink: { subnetV4: '192.168.50.0/24', subnetV6: 'fd50::/64' },
  guestAddress: 'container',
  excludePorts: [8006],
  egress: { policy: 'all', allow: [] },
  subnetV4: '10.0.3.0/24',
  subnetV6: 'fd00:78::/64',
};

export const interfacesFixture = [
  { ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] },
  { ifname: 'eth0', addr_info: [{ family: 'inet', local: '172.18.0.5', prefixlen: 16 }] },
  {
    ifname: 'eth1',
    addr_info: [
      { family: 'inet', local: '192.168.50.10', prefixlen: 24 },
      { family: 'inet6', local: 'fd50::10', prefixlen: 64 },
      { family: 'inet6', local: 'fe80::42:acff:fe12:5', prefixlen: 64 },
    ],
  },
];

export const ownNicFixture: Extract<NicSpec, { mode: 'lan'; guestAddress: 'own' }> = {
  mode: 'lan',
  name: 'net2',
  model: 'virtio-net-pci',
  mac: '52:54:00:12:b4:56',
  uplink: { subnetV4: '192.168.50.0/24' },
  guestAddress: 'own',
};
