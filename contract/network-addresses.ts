import { isIPv4, isIPv6 } from 'node:net';

/** An IPv4 address as a 32-bit number. */
function v4ToNumber(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function numberToV4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** An IPv6 address as eight 16-bit groups ("::" expanded). */
export function v6Groups(address: string): number[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** Eight groups written the short way (RFC 5952: longest run of zero groups as "::"). */
function groupsToV6(groups: number[]): string {
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/**
 * Host number `n` of a network given as CIDR: `hostAddress("172.30.0.0/24", 1)` is
 * "172.30.0.1", `hostAddress("fd00:77::/64", 2)` is "fd00:77::2". Throws when the network
 * has no such host.
 */
export function hostAddress(cidr: string, n: number): string {
  const [base, bits] = cidr.split('/') as [string, string];
  const prefix = Number(bits);
  if (isIPv4(base)) {
    if (prefix > 30 || n < 1 || n >= 2 ** (32 - prefix) - 1) throw new Error(`${cidr} has no host .${n}`);
    const network = v4ToNumber(base) - (v4ToNumber(base) % 2 ** (32 - prefix));
    return numberToV4(network + n);
  }
  if (isIPv6(base)) {
    if (prefix > 112 || n < 1 || n > 0xffff) throw new Error(`${cidr} has no host ::${n.toString(16)}`);
    const groups = v6Groups(base).map((group, i) => {
      const keep = Math.min(16, Math.max(0, prefix - i * 16));
      return keep === 0 ? 0 : group & (0xffff << (16 - keep)) & 0xffff;
    });
    groups[7] = n;
    return groupsToV6(groups);
  }
  throw new Error(`${cidr} is not an IPv4 or IPv6 network`);
}

/** The prefix length of a CIDR. */
export function prefixLength(cidr: string): number {
  return Number(cidr.split('/')[1]);
}

/** Whether two networks overlap (one contains the other's first address). */
export function overlaps(a: string, b: string): boolean {
  const [baseA, bitsA] = a.split('/') as [string, string];
  const [baseB, bitsB] = b.split('/') as [string, string];
  if (isIPv4(baseA) !== isIPv4(baseB)) return false;
  const bits = Math.min(Number(bitsA), Number(bitsB));
  if (isIPv4(baseA)) {
    const mask = 2 ** (32 - bits);
    return Math.floor(v4ToNumber(baseA) / mask) === Math.floor(v4ToNumber(baseB) / mask);
  }
  const ga = v6Groups(baseA);
  const gb = v6Groups(baseB);
  for (let i = 0; i < 8; i++) {
    const keep = Math.min(16, Math.max(0, bits - i * 16));
    const mask = keep === 0 ? 0 : (0xffff << (16 - keep)) & 0xffff;
    if ((ga[i]! & mask) !== (gb[i]! & mask)) return false;
  }
  return true;
}
