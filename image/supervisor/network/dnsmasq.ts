import { CONTAINER_PATHS } from '../../../contract';
import type { RoutedPlan } from './plan';

export const DNSMASQ_BINARY = '/usr/sbin/dnsmasq';

/** Where a NIC's dnsmasq keeps its lease and pid files (the runtime tmpfs). */
export function nicRunDir(nicName: string): string {
  return `${CONTAINER_PATHS.run}/net/${nicName}`;
}

/**
 * The capabilities dnsmasq keeps (capsh names), the least it starts with: NET_ADMIN always
 * (dnsmasq 2.90 refuses DHCPv4 without it: it writes the unconfigured guest's MAC into the ARP
 * cache to unicast the offer), NET_RAW only when the link has IPv6 (router advertisements go
 * out on a raw ICMPv6 socket, and dnsmasq refuses RA/DHCPv6 without it). Never the
 * supervisor's others (SETUID/SETGID with shares, MKNOD with macvtaps). No NET_BIND_SERVICE:
 * Docker lets every process bind low ports in a container. Pure.
 */
export function dnsmasqCapabilities(plan: RoutedPlan): string[] {
  return ['cap_net_admin', ...(plan.link.gatewayV6 ? ['cap_net_raw'] : [])];
}

/**
 * How dnsmasq starts: through `capsh`, which sets its capability sets to exactly
 * `dnsmasqCapabilities` before exec; no-new-privileges keeps root's exec from widening them
 * again (the guest talks to this process). Pure.
 */
export function dnsmasqCommand(plan: RoutedPlan, hostName: string): { file: string; args: string[] } {
  return {
    file: 'capsh',
    args: [
      `--caps=${dnsmasqCapabilities(plan).join(',')}+ep`,
      `--shell=${DNSMASQ_BINARY}`,
      '--',
      ...dnsmasqArgs(plan, hostName),
    ],
  };
}

/**
 * dnsmasq for one routed NIC: bound to its bridge only, one DHCP lease (the guest's .2, tied to
 * its MAC), `hostName` answered by the gateway, router advertisements and DHCPv6 (::2) when
 * the link has IPv6. Other names are forwarded to the container's resolvers, except with
 * egress "none": then dnsmasq has no upstream at all and refuses them (a resolver that
 * forwards would be a tunnel out of a guest that may reach nowhere; a resolver in the allow
 * list is reached by the guest directly). It runs in the foreground as the supervisor's child,
 * stays root without changing user or group (the container has no SETUID/SETGID), pings no
 * address before leasing it (that needs NET_RAW; the one lease is tied to the MAC anyway),
 * and reads no configuration file. Pure.
 */
export function dnsmasqArgs(plan: RoutedPlan, hostName: string): string[] {
  const { nic, link } = plan;
  const dir = nicRunDir(nic.name);
  const mask = prefixToMask(link.prefixV4);
  return [
    '--keep-in-foreground',
    '--user=root',
    '--group=',
    '--conf-file=/dev/null',
    '--no-hosts',
    ...(nic.egress.policy === 'none' ? ['--no-resolv'] : ['--resolv-file=/etc/resolv.conf']),
    `--pid-file=${dir}/dnsmasq.pid`,
    `--dhcp-leasefile=${dir}/leases`,
    '--log-facility=-',
    `--interface=${link.bridge}`,
    '--bind-interfaces',
    // Not loopback: one dnsmasq per bridge, and the container's own lookups stay Docker's.
    '--except-interface=lo',
    '--dhcp-authoritative',
    '--no-ping',
    `--dhcp-range=${link.guestV4},${link.guestV4},${mask},12h`,
    `--dhcp-host=${nic.mac},${link.guestV4}`,
    `--address=/${hostName}/${link.gatewayV4}`,
    ...(link.gatewayV6
      ? [
          '--enable-ra',
          `--dhcp-range=${link.guestV6},${link.guestV6},slaac,${link.prefixV6},12h`,
          `--address=/${hostName}/${link.gatewayV6}`,
        ]
      : []),
  ];
}

function prefixToMask(prefix: number): string {
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join('.');
}
