import type Dockerode from 'dockerode';
import { ownNics, routedNics, type VmSpec } from '../spec';

/** The per-host bridge every VM container joins unless its inputs name another network. */
export const ISOLATED_NETWORK = 'windock-isolated';

/** The Docker networks of one VM container. */
export interface ContainerNetworks {
  /** The network the container is created on (its published ports live there). */
  primary: string;
  /** LAN (macvlan/ipvlan) networks connected before the first start, with optional static addresses. */
  lan: Array<{ network: string; ipv4Address?: string; ipv6Address?: string }>;
  /**
   * The macvtap character devices' major on the VM's host (its /proc/devices), for LAN "own"
   * NICs: the container's device cgroup rule allows exactly that major.
   */
  macvtapMajor?: number;
}

/** What the spec's network modes need from the container. */
export interface NetworkPrivileges {
  capAdd: string[];
  devices: Dockerode.DeviceMapping[];
  sysctls: Record<string, string>;
  deviceCgroupRules: string[];
}

/**
 * Capabilities, devices and sysctls per network mode. User mode and no NIC need nothing.
 * Routed NICs (nat, lan "container") need /dev/net/tun (the taps), NET_ADMIN (bridges, taps,
 * nftables) and NET_RAW (dnsmasq refuses to serve DHCP without it: it pings an address before
 * leasing it, and sends router advertisements on a raw ICMPv6 socket); NET_BIND_SERVICE is not
 * needed (Docker lets every process bind low ports in a container). Forwarding is switched on
 * with namespaced sysctls; IPv6 only where a guest link or LAN uses it. LAN "own" NICs (a
 * macvtap per NIC) need NET_ADMIN (the macvtap link), MKNOD (its /dev/tapN node, which no udev
 * makes in a container) and a device cgroup rule for the macvtap major (`macvtapMajor`, the
 * host's): no tun, no NET_RAW, no sysctl, as nothing is routed. Never privileged. Pure.
 */
export function networkPrivileges(spec: VmSpec, macvtapMajor?: number): NetworkPrivileges {
  const routed = routedNics(spec.network);
  const own = ownNics(spec.network).length > 0;
  const macvtap = own
    ? {
        capAdd: ['NET_ADMIN', 'MKNOD'],
        deviceCgroupRules: macvtapMajor === undefined ? [] : [`c ${macvtapMajor}:* rwm`],
      }
    : { capAdd: [], deviceCgroupRules: [] };
  if (routed.length === 0) return { ...macvtap, devices: [], sysctls: {} };
  const ipv6 = routed.some((nic) => nic.subnetV6 || (nic.mode === 'lan' && nic.uplink.subnetV6));
  return {
    capAdd: [...new Set(['NET_ADMIN', 'NET_RAW', ...macvtap.capAdd])],
    deviceCgroupRules: macvtap.deviceCgroupRules,
    devices: [{ PathOnHost: '/dev/net/tun', PathInContainer: '/dev/net/tun', CgroupPermissions: 'rwm' }],
    sysctls: {
      'net.ipv4.ip_forward': '1',
      ...(ipv6
        ? {
            'net.ipv6.conf.all.disable_ipv6': '0',
            'net.ipv6.conf.default.disable_ipv6': '0',
            'net.ipv6.conf.all.forwarding': '1',
          }
        : {}),
    },
  };
}

/** The per-host isolated bridge: containers on it cannot talk to each other (ICC off). Pure. */
export function isolatedNetworkOptions(): Dockerode.NetworkCreateOptions {
  return {
    Name: ISOLATED_NETWORK,
    Driver: 'bridge',
    CheckDuplicate: true,
    Labels: { 'io.windock.managed': 'true' },
    Options: { 'com.docker.network.bridge.enable_icc': 'false' },
  };
}

/** The endpoint settings of a LAN network connection (static addresses through Docker's IPAM). Pure. */
export function lanEndpointConfig(lan: ContainerNetworks['lan'][number]): Dockerode.EndpointSettings {
  const ipam = {
    ...(lan.ipv4Address ? { IPv4Address: lan.ipv4Address } : {}),
    ...(lan.ipv6Address ? { IPv6Address: lan.ipv6Address } : {}),
  };
  return Object.keys(ipam).length ? { IPAMConfig: ipam } : {};
}

/**
 * A VM container's options with its network: the Docker network it is created on, and the
 * capabilities, devices and sysctls of its NICs' modes (unchanged for user mode and no NIC). Pure.
 */
export function withNetwork(
  spec: VmSpec,
  networks: ContainerNetworks | undefined,
  options: Dockerode.ContainerCreateOptions,
): Dockerode.ContainerCreateOptions {
  if (ownNics(spec.network).length > 0 && networks?.macvtapMajor === undefined)
    throw new Error(
      'a lan NIC with guestAddress "own" needs the macvtap device major of the VM\'s host (networks.macvtapMajor)',
    );
  const privileges = networkPrivileges(spec, networks?.macvtapMajor);
  const host = options.HostConfig ?? {};
  return {
    ...options,
    HostConfig: {
      ...host,
      ...(networks ? { NetworkMode: networks.primary } : {}),
      ...(privileges.capAdd.length
        ? { CapAdd: [...new Set([...(host.CapAdd ?? []), ...privileges.capAdd])] }
        : {}),
      ...(privileges.devices.length ? { Devices: [...(host.Devices ?? []), ...privileges.devices] } : {}),
      ...(privileges.deviceCgroupRules.length
        ? { DeviceCgroupRules: [...(host.DeviceCgroupRules ?? []), ...privileges.deviceCgroupRules] }
        : {}),
      ...(Object.keys(privileges.sysctls).length
        ? { Sysctls: { ...(host.Sysctls ?? {}), ...privileges.sysctls } }
        : {}),
    },
  };
}
