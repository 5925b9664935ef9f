import { z } from 'zod';
import { hostAddress, overlaps } from './network-addresses';

export const macAddress = z
  .string()
  .regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/, 'a lowercase MAC address like 52:54:00:12:34:56');

export const ipv4Cidr = z
  .string()
  .regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'an IPv4 network like 172.30.0.0/24');
export const ipv6Cidr = z.string().regex(/^[0-9a-f:]+\/\d{1,3}$/i, 'an IPv6 network like fd00:77::/64');

export const portForward = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/),
  protocol: z.enum(['tcp', 'udp']),
  /** Port inside the guest. */
  guest: z.number().int().min(1).max(65535),
  /** Port on the container's interface that forwards to the guest; Docker publishes it. */
  container: z.number().int().min(1).max(65535),
});

/**
 * Where the guest may open connections to. "internet": anywhere but private, link-local and
 * unique-local ranges (other VMs, the LAN, the host); "all": anywhere; "none": nowhere (only
 * forwarded ports reach it), and the NIC's DNS server (dnsmasq) answers the host name but
 * forwards no other name: DNS is no tunnel. `allow` adds networks on top of the policy (a
 * resolver allowed there is asked by the guest directly).
 */
export const egressSpec = z.strictObject({
  policy: z.enum(['all', 'internet', 'none']),
  allow: z.array(z.union([ipv4Cidr, ipv6Cidr])),
});

const nicName = z.string().regex(/^net[0-7]$/, 'net0 .. net7');
const nicModel = z.enum(['virtio-net-pci', 'e1000e']);

/** QEMU user-mode networking: no privileges; only forwarded ports reach the guest. */
export const userNic = z.strictObject({
  mode: z.literal('user'),
  name: nicName,
  model: nicModel,
  mac: macAddress,
  ports: z.array(portForward),
  /** user mode can only allow everything or nothing ("none" is QEMU's restrict=on). */
  egress: z.enum(['all', 'none']),
  ipv6: z.boolean(),
});

/** The private link between the container and the guest of a NAT (or LAN "container") NIC. */
const guestLinkFields = {
  /** The guest's private IPv4 network: the container is its first host (the gateway), the guest the second (one DHCP lease). */
  subnetV4: ipv4Cidr,
  /** The guest's private IPv6 network (router advertisements, DHCPv6 ::2); none: no IPv6 for the guest. */
  subnetV6: ipv6Cidr.optional(),
};

/**
 * NAT inside the container: a tap (tap-<nic>) on a private bridge (br-<nic>), a one-lease DHCP
 * server with DNS (v4) and router advertisements (v6), masquerade out of the container's
 * interfaces, forwarded ports DNATed to the guest, and the egress policy. Needs /dev/net/tun,
 * NET_ADMIN (links, nftables, dnsmasq's DHCP) in this mode only, and NET_RAW (dnsmasq's RA) with
 * IPv6.
 */
export const natNic = z.strictObject({
  mode: z.literal('nat'),
  name: nicName,
  model: nicModel,
  mac: macAddress,
  ports: z.array(portForward),
  egress: egressSpec,
  ...guestLinkFields,
});

/** The subnets of a LAN NIC's Docker network: the container's interface there is found by its address. */
const lanNicUplink = z
  .strictObject({ subnetV4: ipv4Cidr.optional(), subnetV6: ipv6Cidr.optional() })
  .refine((u) => u.subnetV4 || u.subnetV6, 'an uplink subnet (v4 or v6) finds the container interface');

/**
 * On a Docker macvlan or ipvlan network, the container's interface found by its address in
 * `uplink`. guestAddress "container": the guest answers at the container's LAN address (v4
 * and v6 from Docker's IPAM, static or assigned): NAT as in a NAT NIC, with every TCP/UDP port
 * but the container's own (the console's, `excludePorts`) DNATed to the guest.
 */
export const lanContainerNic = z.strictObject({
  mode: z.literal('lan'),
  name: nicName,
  model: nicModel,
  mac: macAddress,
  uplink: lanNicUplink,
  guestAddress: z.literal('container'),
  /** Ports of the container's own services that are not forwarded to the guest. */
  excludePorts: z.array(z.number().int().min(1).max(65535)),
  egress: egressSpec,
  ...guestLinkFields,
});

/**
 * guestAddress "own" (macvlan networks only): the guest is on the LAN itself with its own MAC
 * (the NIC's `mac`), through a macvtap (mvt-<nic>, bridge mode) that the supervisor makes on
 * the container's interface found by `uplink`, and takes its addresses from the LAN (DHCP,
 * SLAAC) or its own static settings. Nothing is routed, forwarded or filtered by the container;
 * the container keeps its own LAN address. Needs NET_ADMIN, MKNOD and the macvtap character
 * devices (a device cgroup rule) in this mode only.
 */
export const lanOwnNic = z.strictObject({
  mode: z.literal('lan'),
  name: nicName,
  model: nicModel,
  mac: macAddress,
  uplink: lanNicUplink,
  guestAddress: z.literal('own'),
});

export const lanNic = z.discriminatedUnion('guestAddress', [lanContainerNic, lanOwnNic]);

export const nicSpec = z.discriminatedUnion('mode', [userNic, natNic, lanNic]);

export const networkSpec = z
  .strictObject({
    /** Several NICs, each its own mode; none means no NIC at all. */
    nics: z.array(nicSpec).max(8),
    /** The name the guest resolves to the container (shares live there): host.lan. */
    hostName: z.string().regex(/^[a-z0-9.-]{1,63}$/),
  })
  .superRefine((network, ctx) => {
    const names = new Set<string>();
    const macs = new Set<string>();
    network.nics.forEach((nic, i) => {
      if (names.has(nic.name))
        ctx.addIssue({ code: 'custom', path: ['nics', i, 'name'], message: `duplicate NIC "${nic.name}"` });
      if (macs.has(nic.mac))
        ctx.addIssue({ code: 'custom', path: ['nics', i, 'mac'], message: `duplicate MAC ${nic.mac}` });
      names.add(nic.name);
      macs.add(nic.mac);
    });
    const links = network.nics.flatMap((nic, i) =>
      nic.mode === 'user' || isOwnNic(nic)
        ? []
        : [nic.subnetV4, ...(nic.subnetV6 ? [nic.subnetV6] : [])].map((subnet) => ({ i, subnet })),
    );
    links.forEach((a, k) => {
      const clash = links.slice(0, k).find((b) => overlaps(a.subnet, b.subnet));
      if (clash)
        ctx.addIssue({
          code: 'custom',
          path: ['nics', a.i],
          message: `guest network ${a.subnet} overlaps ${clash.subnet} of NIC ${clash.i}`,
        });
    });
    const containerPorts = new Set<string>();
    network.nics.forEach((nic, i) => {
      if (nic.mode === 'lan') return;
      nic.ports.forEach((port, j) => {
        const key = `${port.container}/${port.protocol}`;
        if (containerPorts.has(key))
          ctx.addIssue({
            code: 'custom',
            path: ['nics', i, 'ports', j, 'container'],
            message: `container port ${key} is forwarded twice`,
          });
        containerPorts.add(key);
      });
    });
  });

export type NetworkSpec = z.infer<typeof networkSpec>;
export type NicSpec = z.infer<typeof nicSpec>;
export type PortForward = z.infer<typeof portForward>;
export type EgressSpec = z.infer<typeof egressSpec>;

/** The forwarded ports of every NIC that has them (user and NAT NICs). */
export function allForwards(network: NetworkSpec): PortForward[] {
  return network.nics.flatMap((nic) => (nic.mode === 'lan' ? [] : nic.ports));
}

/**
 * The MAC of a VM's NIC number `index`, derived from the VM's own MAC (NIC 0 keeps it), so
 * every NIC's MAC is stable across restarts.
 */
export function nicMac(vmMac: string, index: number): string {
  if (index === 0) return vmMac;
  const bytes = vmMac.split(':');
  bytes[3] = ((parseInt(bytes[3]!, 16) + index * 0x40) & 0xff).toString(16).padStart(2, '0');
  return bytes.join(':');
}

/**
 * Every NIC given new MACs (clones and throwaway copies must not share a MAC with their
 * source); `noPorts` drops forwards (a copy's container publishes none).
 */
export function withMacs(
  network: NetworkSpec,
  vmMac: string,
  options: { noPorts?: boolean } = {},
): NetworkSpec {
  return {
    ...network,
    nics: network.nics.map((nic, i) => ({
      ...nic,
      mac: nicMac(vmMac, i),
      ...(options.noPorts && nic.mode !== 'lan' ? { ports: [] } : {}),
    })),
  };
}

/** A NIC that routes for its guest inside the container (tap, bridge, DHCP, nftables). */
export type RoutedNic = Extract<NicSpec, { mode: 'nat' } | { mode: 'lan'; guestAddress: 'container' }>;

/** A LAN NIC whose guest has its own MAC and addresses on the LAN (a macvtap). */
export type OwnNic = Extract<NicSpec, { mode: 'lan'; guestAddress: 'own' }>;

export function isOwnNic(nic: NicSpec): nic is OwnNic {
  return nic.mode === 'lan' && nic.guestAddress === 'own';
}

/** The NICs on a macvtap, in order. */
export function ownNics(network: NetworkSpec): OwnNic[] {
  return network.nics.filter(isOwnNic);
}

/**
 * The file descriptor QEMU finds an "own" NIC's open macvtap on: the supervisor passes them
 * as inherited descriptors 3, 4, .. in NIC order (QEMU runs without the capabilities to open
 * them itself).
 */
export function macvtapFd(network: NetworkSpec, nicName: string): number {
  const index = ownNics(network).findIndex((nic) => nic.name === nicName);
  if (index < 0) throw new Error(`NIC ${nicName} is not on a macvtap`);
  return 3 + index;
}

/** The addresses of a routed NIC's private link: the container's side and the guest's. */
export interface GuestLink {
  bridge: string;
  tap: string;
  gatewayV4: string;
  guestV4: string;
  prefixV4: number;
  gatewayV6?: string;
  guestV6?: string;
  prefixV6?: number;
}

/** Interface names inside the container: br-<nic> and tap-<nic>. */
export function guestLink(nic: RoutedNic): GuestLink {
  return {
    bridge: `br-${nic.name}`,
    tap: `tap-${nic.name}`,
    gatewayV4: hostAddress(nic.subnetV4, 1),
    guestV4: hostAddress(nic.subnetV4, 2),
    prefixV4: Number(nic.subnetV4.split('/')[1]),
    ...(nic.subnetV6
      ? {
          gatewayV6: hostAddress(nic.subnetV6, 1),
          guestV6: hostAddress(nic.subnetV6, 2),
          prefixV6: Number(nic.subnetV6.split('/')[1]),
        }
      : {}),
  };
}

/**
 * The container's address on a NAT (or LAN "container") NIC's bridge, as the guest sees it:
 * its gateway, DNS server and host.lan. Services for the guest (SMB shares) bind here.
 */
export function natGateway(nic: RoutedNic): { bridge: string; v4: string; v6?: string } {
  const link = guestLink(nic);
  return { bridge: link.bridge, v4: link.gatewayV4, ...(link.gatewayV6 ? { v6: link.gatewayV6 } : {}) };
}

/** Whether a spec needs the container to route for its guest (taps, nftables, dnsmasq). */
export function routedNics(network: NetworkSpec): RoutedNic[] {
  return network.nics.filter((nic): nic is RoutedNic => nic.mode !== 'user' && !isOwnNic(nic));
}
