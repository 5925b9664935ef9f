import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';
import type { VmSpec } from '../../../contract';

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

function family(address: string): 'ipv4' | 'ipv6' {
  return isIPv4(address) ? 'ipv4' : 'ipv6';
}

function subnets(cidrs: Array<string | undefined>): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    if (!cidr) continue;
    const [base, bits] = cidr.split('/') as [string, string];
    list.addSubnet(base, Number(bits), family(base));
  }
  return list;
}

/** The guests' subnets (user, NAT, LAN-routed links) and the LAN networks' subnets. */
function specSubnets(spec: VmSpec): { guests: BlockList; lans: BlockList } {
  const nics = spec.network.nics;
  return {
    guests: subnets(
      nics.flatMap((nic) => ('subnetV4' in nic ? [nic.subnetV4, nic.subnetV6 ?? undefined] : [])),
    ),
    lans: subnets(
      nics.flatMap((nic) => (nic.mode === 'lan' ? [nic.uplink.subnetV4, nic.uplink.subnetV6] : [])),
    ),
  };
}

/**
 * Where the console listens: the addresses of the container's primary Docker network, the
 * only place Docker's port publishing (and so `console.bind`) reaches. Not loopback (a
 * user-mode guest reaches it as 10.0.2.2), not a guest bridge (NAT guests' gateway), not a
 * LAN network's interface, not link-local. Pure.
 */
export function consoleListenAddresses(spec: VmSpec, interfaces: Interfaces): string[] {
  const { guests, lans } = specSubnets(spec);
  const addresses: string[] = [];
  for (const entries of Object.values(interfaces)) {
    for (const entry of entries ?? []) {
      const kind = family(entry.address);
      if (entry.internal || entry.address.toLowerCase().startsWith('fe80:')) continue;
      if (guests.check(entry.address, kind) || lans.check(entry.address, kind)) continue;
      addresses.push(entry.address);
    }
  }
  return addresses;
}

/** A remote address as the server sees it, IPv4-mapped IPv6 unwrapped. */
function plainAddress(remote: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remote);
  return mapped ? mapped[1]! : remote;
}

/**
 * Whether a connection comes from the guest (or the container itself): its source is one of
 * the container's own addresses (what user-mode networking connects from) or inside a guest
 * subnet (NAT and LAN-routed guests). Published ports arrive from the Docker host's side
 * (the network's gateway or a client), never from these. Pure.
 */
export function guestSourceCheck(spec: VmSpec, interfaces: Interfaces): (remote: string) => boolean {
  const { guests } = specSubnets(spec);
  const own = new BlockList();
  for (const entries of Object.values(interfaces))
    for (const entry of entries ?? []) own.addAddress(entry.address.split('%')[0]!, family(entry.address));
  return (remote) => {
    const address = plainAddress(remote);
    if (!isIPv4(address) && !isIPv6(address)) return true;
    const kind = family(address);
    return own.check(address, kind) || guests.check(address, kind);
  };
}
