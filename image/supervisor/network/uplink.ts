import { BlockList, isIPv4 } from 'node:net';

/** One interface as `ip -json address show` prints it (the fields used here). */
export interface IpAddressEntry {
  ifname: string;
  addr_info?: Array<{ family: string; local: string; prefixlen: number; scope?: string }>;
}

/** The container's interface on a LAN NIC's Docker network, and its addresses there. */
export interface Uplink {
  ifname: string;
  v4?: string;
  v6?: string;
}

function inSubnet(address: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const family = isIPv4(base) ? 'ipv4' : 'ipv6';
  if ((family === 'ipv4') !== isIPv4(address)) return false;
  const list = new BlockList();
  list.addSubnet(base, Number(bits), family);
  return list.check(address, family);
}

/**
 * Finds the interface whose address lies in the uplink subnet (v4 first, then v6): Docker
 * names interfaces by attach order, so the subnet is the stable key. Pure.
 */
export function findUplink(
  entries: IpAddressEntry[],
  uplink: { subnetV4?: string; subnetV6?: string },
): Uplink | undefined {
  for (const entry of entries) {
    const addresses = entry.addr_info ?? [];
    const v4 = uplink.subnetV4
      ? addresses.find((a) => a.family === 'inet' && inSubnet(a.local, uplink.subnetV4!))?.local
      : undefined;
    const v6 = uplink.subnetV6
      ? addresses.find((a) => a.family === 'inet6' && inSubnet(a.local, uplink.subnetV6!))?.local
      : undefined;
    if (v4 || v6) return { ifname: entry.ifname, ...(v4 ? { v4 } : {}), ...(v6 ? { v6 } : {}) };
  }
  return undefined;
}
