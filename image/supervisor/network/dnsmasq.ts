import { CONTAINER_PATHS } from '../../../provider/spec';
import type { RoutedPlan } from './plan';

export const DNSMASQ_BINARY = 'dnsmasq';

/** Where a NIC's dnsmasq keeps its lease and pid files (the runtime tmpfs). */
export function nicRunDir(nicName: string): string {
  return `${CONTAINER_PATHS.run}/net/${nicName}`;
}

/**
 * dnsmasq for one routed NIC: bound to its bridge only, one DHCP lease (the guest's .2, tied to
 * its MAC), DNS forwarded to the container's resolvers with `hostName` answered by the
 * gateway, router advertisements and DHCPv6 (::2) when the link has IPv6. It runs in the
 * foreground as the supervisor's child, stays root without changing user or group (the
 * container has no SETUID/SETGID), and reads no configuration file. Pure.
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
    '--resolv-file=/etc/resolv.conf',
    `--pid-file=${dir}/dnsmasq.pid`,
    `--dhcp-leasefile=${dir}/leases`,
    '--log-facility=-',
    `--interface=${link.bridge}`,
    '--bind-interfaces',
    // Not loopback: one dnsmasq per bridge, and the container's own lookups stay Docker's.
    '--except-interface=lo',
    '--dhcp-authoritative',
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
