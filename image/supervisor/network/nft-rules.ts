import { isIPv4 } from 'node:net';
import type { EgressSpec } from '../../../contract';
import type { RoutedPlan } from './plan';

export const NFT_TABLE = 'windock';

/** Where "internet" egress may not go: private, shared (CGNAT), link-local and unique-local ranges. */
export const PRIVATE_V4 = [
  '10.0.0.0/8',
  '100.64.0.0/10',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
];
export const PRIVATE_V6 = ['fc00::/7', 'fe80::/10'];

const set = (items: Array<string | number>) => `{ ${items.join(', ')} }`;

function egressRules(egress: EgressSpec): string[] {
  const allowV4 = egress.allow.filter((cidr) => isIPv4(cidr.split('/')[0]!));
  const allowV6 = egress.allow.filter((cidr) => !isIPv4(cidr.split('/')[0]!));
  const rules = [
    ...(allowV4.length ? [`ip daddr ${set(allowV4)} accept`] : []),
    ...(allowV6.length ? [`ip6 daddr ${set(allowV6)} accept`] : []),
  ];
  switch (egress.policy) {
    case 'all':
      return [...rules, 'accept'];
    case 'internet':
      return [...rules, 'ip daddr @private_v4 drop', 'ip6 daddr @private_v6 drop', 'accept'];
    case 'none':
      return [...rules, 'drop'];
  }
}

function dnatRules(plan: RoutedPlan): string[] {
  const { nic, link, uplink } = plan;
  if (nic.mode === 'nat') {
    // Forwarded ports arrive on any interface but the guests' bridges (Docker's published
    // ports come in on the container's network interface).
    return nic.ports.flatMap((port) => [
      `iifname != "br-*" meta nfproto ipv4 ${port.protocol} dport ${port.container} dnat ip to ${link.guestV4}:${port.guest}`,
      ...(link.guestV6
        ? [
            `iifname != "br-*" meta nfproto ipv6 ${port.protocol} dport ${port.container} dnat ip6 to [${link.guestV6}]:${port.guest}`,
          ]
        : []),
    ]);
  }
  // LAN "container": every TCP/UDP port on the container's LAN interface goes to the guest,
  // except the container's own.
  const except = nic.excludePorts.length
    ? ` th dport != ${set([...nic.excludePorts].sort((a, b) => a - b))}`
    : '';
  const on = `iifname "${uplink!.ifname}"`;
  return [
    ...(uplink!.v4
      ? [`${on} meta nfproto ipv4 meta l4proto { tcp, udp }${except} dnat ip to ${link.guestV4}`]
      : []),
    ...(uplink!.v6 && link.guestV6
      ? [`${on} meta nfproto ipv6 meta l4proto { tcp, udp }${except} dnat ip6 to ${link.guestV6}`]
      : []),
  ];
}

function masqueradeRules(plan: RoutedPlan): string[] {
  const { nic, link } = plan;
  return [
    `ip saddr ${nic.subnetV4} oifname != "${link.bridge}" masquerade`,
    ...(nic.subnetV6 ? [`ip6 saddr ${nic.subnetV6} oifname != "${link.bridge}" masquerade`] : []),
  ];
}

const indent = (lines: string[], depth = 2) => lines.map((line) => `${'  '.repeat(depth)}${line}`);

/**
 * The container's nftables ruleset for its routed NICs, as one `nft -f` file: created empty
 * and deleted first, so applying it again replaces it atomically. DNAT of forwarded ports (NAT)
 * or of every port but the container's own (LAN "container"), masquerade out of the
 * container, and per NIC the egress policy on new connections from the guest; nothing but
 * DNATed connections reaches a guest from outside. Pure.
 */
export function nftRuleset(plans: RoutedPlan[]): string {
  const egressChains = plans.map((plan) => [
    `  chain egress_${plan.nic.name} {`,
    ...indent(egressRules(plan.nic.egress)),
    '  }',
  ]);
  return [
    `table inet ${NFT_TABLE}`,
    `delete table inet ${NFT_TABLE}`,
    `table inet ${NFT_TABLE} {`,
    '  set private_v4 {',
    '    type ipv4_addr; flags interval;',
    `    elements = ${set(PRIVATE_V4)}`,
    '  }',
    '  set private_v6 {',
    '    type ipv6_addr; flags interval;',
    `    elements = ${set(PRIVATE_V6)}`,
    '  }',
    '  chain prerouting {',
    '    type nat hook prerouting priority dstnat; policy accept;',
    ...indent(plans.flatMap(dnatRules)),
    '  }',
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    ...indent(plans.flatMap(masqueradeRules)),
    '  }',
    '  chain forward {',
    '    type filter hook forward priority filter; policy drop;',
    '    ct state established,related accept',
    '    ct state invalid drop',
    // Into a guest: only connections a DNAT rule above opened.
    '    oifname "br-*" ct status dnat accept',
    ...indent(plans.map((plan) => `iifname "${plan.link.bridge}" jump egress_${plan.nic.name}`)),
    '  }',
    ...egressChains.flat(),
    '}',
    '',
  ].join('\n');
}
