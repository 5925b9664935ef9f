import { z } from 'zod';
import { ipv4Cidr, ipv6Cidr } from '../../../contract';
import { overlaps, prefixLength } from '../../../contract/network-addresses';

/** QEMU and the container hold at most eight NICs per VM (net0 .. net7). */
export const MAX_NICS = 8;

const dockerNetworkName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'a Docker network name (letters, digits, "_", "." and "-")');

export const egressInput = z.strictObject({
  policy: z
    .enum(['all', 'internet', 'none'])
    .optional()
    .describe(
      '"internet" (anywhere but private, link-local and unique-local networks: not other VMs, the LAN or the host), "all" or "none" (only forwarded ports reach the guest, and its DNS server answers host.lan but no other name). Default: "all" for user and lan NICs, "internet" for nat NICs. User mode knows only "all" and "none".',
    ),
  allow: z
    .array(z.union([ipv4Cidr, ipv6Cidr]))
    .default([])
    .describe(
      'Networks the guest may reach on top of the policy, like "192.168.1.20/32" (nat and lan NICs).',
    ),
});

/** One NIC of the VM, as the user declares it. Mode-specific fields are checked in `nicIssues`. */
export const nicInput = z.strictObject({
  mode: z
    .enum(['user', 'nat', 'lan'])
    .describe(
      '"user" (QEMU user networking, no privileges), "nat" (a private network routed by the container: egress policy and allow list) or "lan" (on a macvlan/ipvlan Docker network: the guest answers at the container\'s address there, or with guestAddress "own" at its own).',
    ),
  dockerNetwork: dockerNetworkName
    .optional()
    .describe("lan NICs: the macvlan or ipvlan Docker network on the VM's host the container joins."),
  ipv4Address: z
    .ipv4()
    .optional()
    .describe("lan NICs: a static IPv4 address on that network (default: Docker's IPAM assigns one)."),
  ipv6Address: z.ipv6().optional().describe('lan NICs: a static IPv6 address on that network.'),
  guestAddress: z
    .enum(['container', 'own'])
    .optional()
    .describe(
      'lan NICs: "container" (default; every port but the console\'s is forwarded from the container\'s LAN address to the guest) or "own" (macvlan networks only: the guest is on the LAN with its own MAC through a macvtap and takes its addresses there itself, by DHCP/SLAAC or its own static settings; nothing is forwarded or filtered; the container keeps its own LAN address; NET_ADMIN, MKNOD and the macvtap devices in this mode only).',
    ),
  egress: egressInput.optional().describe('Where the guest may open connections to through this NIC.'),
  subnetV4: ipv4Cidr
    .optional()
    .describe(
      'nat and lan NICs: the private IPv4 network between container (.1, gateway and DNS) and guest (.2). Default: the first free 10.0.N.0/24 from 10.0.2.0/24.',
    ),
  subnetV6: ipv6Cidr
    .optional()
    .describe(
      'nat and lan NICs: the private IPv6 /64 of the guest link (with ipv6). Default: fd00:77:N::/64.',
    ),
  ipv6: z
    .boolean()
    .optional()
    .describe(
      'IPv6 for the guest. Default: on for user NICs, off for nat NICs, on for lan NICs whose Docker network has an IPv6 subnet.',
    ),
});

export type NicInput = z.output<typeof nicInput>;

/** A problem with the network inputs, with the path of the field it names. */
export interface NetworkIssue {
  path: (string | number)[];
  message: string;
}

/** The fields that decide a VM's NICs and where its forwarded ports go. */
export interface NetworkInputs {
  network?: 'user' | 'none' | 'nat';
  nics?: NicInput[];
  ports: unknown[];
  rdp: { enabled: boolean };
  shares?: unknown[];
}

/** The VM's NICs in order: the `nics` list, or the one NIC of the `network` shorthand. Pure. */
export function effectiveNics(vm: Pick<NetworkInputs, 'network' | 'nics'>): NicInput[] {
  if (vm.nics) return vm.nics;
  const network = vm.network ?? 'user';
  return network === 'none' ? [] : [{ mode: network }];
}

/** The NIC that carries `ports` and `rdp`: the first user or nat NIC, if any. Pure. */
export function forwardingNicIndex(nics: NicInput[]): number {
  return nics.findIndex((nic) => nic.mode !== 'lan');
}

/** The guest link networks of one routed (nat/lan) NIC. */
export interface GuestSubnets {
  v4: string;
  v6: string;
}

/**
 * The private guest-link networks of every NIC (undefined for user NICs): the NIC's own, or
 * the first 10.0.N.0/24 (and fd00:77:N::/64) from N = 2 that no other NIC uses, so defaults
 * never overlap. Pure.
 */
export function guestSubnets(nics: NicInput[]): Array<GuestSubnets | undefined> {
  const taken = nics.flatMap((nic) => [nic.subnetV4, nic.subnetV6].filter((s): s is string => Boolean(s)));
  const free = (subnet: string) => !taken.some((s) => overlaps(s, subnet));
  const v4 = (n: number) => `10.0.${n}.0/24`;
  const v6 = (n: number) => `fd00:77:${n.toString(16)}::/64`;
  const first = (make: (n: number) => string, from = 2): number => {
    for (let n = from; n < 256; n++) if (free(make(n))) return n;
    throw new Error('no free 10.0.N.0/24 network is left for a guest link');
  };
  return nics.map((nic) => {
    if (nic.mode === 'user' || isOwn(nic)) return undefined;
    // A default pair shares its N (10.0.3.0/24 with fd00:77:3::/64) where it can.
    const n = nic.subnetV4 ? undefined : first(v4);
    const link = {
      v4: nic.subnetV4 ?? v4(n!),
      v6: nic.subnetV6 ?? (n !== undefined && free(v6(n)) ? v6(n) : v6(first(v6))),
    };
    taken.push(link.v4, link.v6);
    return link;
  });
}

const lanOnly = ['dockerNetwork', 'ipv4Address', 'ipv6Address', 'guestAddress'] as const;

/** A lan NIC whose guest has its own MAC and addresses on the LAN. */
export function isOwn(nic: NicInput): boolean {
  return nic.mode === 'lan' && nic.guestAddress === 'own';
}

/** Fields that a guest on its own LAN address has no use for: nothing routes or filters for it. */
const routedOnly = ['subnetV4', 'subnetV6', 'egress', 'ipv6'] as const;

/** What is wrong with one NIC's fields for its mode (paths relative to the NIC). Pure. */
export function nicIssues(nic: NicInput): NetworkIssue[] {
  const issues: NetworkIssue[] = [];
  const add = (field: string, message: string) => issues.push({ path: [field], message });
  if (nic.mode === 'lan') {
    if (!nic.dockerNetwork)
      add(
        'dockerNetwork',
        "a lan NIC needs dockerNetwork: the name of a macvlan or ipvlan Docker network on the VM's host",
      );
    if (nic.guestAddress === 'own')
      for (const field of routedOnly)
        if (nic[field] !== undefined)
          add(
            field,
            `${field} does not apply to guestAddress "own" (the guest takes its addresses on the LAN itself, and nothing routes or filters its traffic): remove it, or use guestAddress "container"`,
          );
  } else {
    for (const field of lanOnly)
      if (nic[field] !== undefined)
        add(field, `${field} is for lan NICs only: remove it from this ${nic.mode} NIC, or set mode "lan"`);
  }
  if (nic.mode === 'user') {
    for (const field of ['subnetV4', 'subnetV6'] as const)
      if (nic[field])
        add(
          field,
          `${field} is for nat and lan NICs (user mode uses QEMU's own 10.0.2.0/24): remove it or use mode "nat"`,
        );
    if (nic.egress?.allow.length)
      add(
        'egress',
        'allow lists need a nat or lan NIC (user mode can only allow "all" or "none"): remove egress.allow or use mode "nat"',
      );
    if (nic.egress?.policy === 'internet')
      add('egress', 'user mode knows egress "all" or "none" only: use mode "nat" for "internet"');
  }
  if (nic.subnetV4 && !isOwn(nic)) {
    const prefix = prefixLength(nic.subnetV4);
    if (prefix < 8 || prefix > 30)
      add(
        'subnetV4',
        `subnetV4 ${nic.subnetV4}: use a prefix from /8 to /30 (the guest link needs two hosts)`,
      );
  }
  if (nic.subnetV6 && !isOwn(nic)) {
    if (prefixLength(nic.subnetV6) !== 64)
      add(
        'subnetV6',
        `subnetV6 ${nic.subnetV6}: use a /64 (the guest takes its address by SLAAC and DHCPv6)`,
      );
    if (nic.ipv6 === false)
      add('subnetV6', 'subnetV6 is set but ipv6 is false: remove subnetV6 or set ipv6 true');
  }
  return issues;
}

/**
 * What is wrong with a VM's network inputs as a whole: both `network` and `nics`, each NIC's
 * fields, a Docker network used twice, overlapping guest networks, and ports, RDP or shares
 * without a NIC to reach the guest through. Pure.
 */
export function networkIssues(vm: NetworkInputs): NetworkIssue[] {
  const issues: NetworkIssue[] = [];
  if (vm.network !== undefined && vm.nics !== undefined)
    issues.push({
      path: ['nics'],
      message: `give either network or nics, not both: network "${vm.network}" is nics [{ mode: "${vm.network === 'none' ? 'user' : vm.network}" }]${vm.network === 'none' ? ' minus the NIC (nics [])' : ''}`,
    });
  if (!vm.nics) return issues;
  vm.nics.forEach((nic, i) => {
    for (const issue of nicIssues(nic))
      issues.push({ path: ['nics', i, ...issue.path], message: `NIC ${i}: ${issue.message}` });
  });
  const networks = new Map<string, number>();
  vm.nics.forEach((nic, i) => {
    if (!nic.dockerNetwork) return;
    const first = networks.get(nic.dockerNetwork);
    if (first !== undefined)
      issues.push({
        path: ['nics', i, 'dockerNetwork'],
        message: `NIC ${i}: Docker network "${nic.dockerNetwork}" is already NIC ${first}'s: a container joins a network once; remove one of them`,
      });
    else networks.set(nic.dockerNetwork, i);
  });
  const subnets = guestSubnetsSafe(vm.nics);
  const links = vm.nics.flatMap((nic, i) => {
    const link = subnets[i];
    if (!link) return [];
    const v6 = nic.mode === 'nat' ? nic.ipv6 === true : nic.ipv6 !== false;
    return [
      { i, field: 'subnetV4', subnet: link.v4 },
      ...(v6 || nic.subnetV6 ? [{ i, field: 'subnetV6', subnet: link.v6 }] : []),
    ];
  });
  links.forEach((a, k) => {
    const clash = links.slice(0, k).find((b) => overlaps(a.subnet, b.subnet));
    if (clash)
      issues.push({
        path: ['nics', a.i, a.field],
        message: `NIC ${a.i}: guest network ${a.subnet} overlaps NIC ${clash.i}'s ${clash.subnet}: give it a ${a.field} of its own`,
      });
  });
  if (forwardingNicIndex(vm.nics) < 0) {
    const why =
      vm.nics.length === 0
        ? 'this VM has no NIC (nics [])'
        : vm.nics.some(isOwn)
          ? 'this VM has only lan NICs (a guest with guestAddress "own" is reached at its own LAN address directly, and nothing forwards to it)'
          : "this VM has only lan NICs (their guests answer at the container's LAN address on every port)";
    if (vm.ports.length > 0)
      issues.push({
        path: ['ports'],
        message: `ports are forwarded through the first user or nat NIC and ${why}: add a nat NIC or remove ports`,
      });
    if (vm.rdp.enabled)
      issues.push({
        path: ['rdp'],
        message: `RDP is forwarded through the first user or nat NIC and ${why}: add a nat NIC or set rdp.enabled to false`,
      });
  }
  if (vm.nics.length === 0 && (vm.shares?.length ?? 0) > 0)
    issues.push({
      path: ['shares'],
      message: 'nics [] has no NIC, so the guest cannot reach its shares: remove shares or add a NIC',
    });
  return issues;
}

/** guestSubnets, or no defaults at all when 10.0.N.0/24 ran out (reported as an overlap). */
function guestSubnetsSafe(nics: NicInput[]): Array<GuestSubnets | undefined> {
  try {
    return guestSubnets(nics);
  } catch {
    return nics.map(() => undefined);
  }
}

export const networkInput = z
  .enum(['user', 'none', 'nat'])
  .optional()
  .describe(
    '"user" (default: QEMU user networking, no extra privileges), "nat" (a private network routed by the container; /dev/net/tun and NET_ADMIN in this mode only, NET_RAW too with IPv6) or "none". Shorthand for one NIC; use nics for more. Restart tier.',
  );

export const nicsInput = z
  .array(nicInput)
  .max(MAX_NICS, `at most ${MAX_NICS} NICs (net0 .. net7): remove some`)
  .optional()
  .describe(
    'The NICs in order (instead of network), each "user", "nat" or "lan"; ports and rdp go through the first user or nat NIC. [] means no NIC. Restart tier.',
  );

export const containerNetworkInput = dockerNetworkName
  .optional()
  .describe(
    "The Docker network the VM's container is created on (its published ports live there). Default: 0-windock-isolated, a bridge per host on which containers cannot reach each other. Restart tier.",
  );
