import type Dockerode from 'dockerode';
import { ownNics, routedNics, type VmSpec } from '../../contract';

/**
 * The per-host bridge every VM container joins unless its inputs name another network. Docker
 * publishes a container's ports only through its gateway network, which it picks by name among
 * networks of equal standing (libnetwork's endpoint order; no gateway priority before Docker 28):
 * the leading digit sorts this bridge before a LAN network named with letters ("lan", "office").
 */
export const ISOLATED_NETWORK = '0-windock-isolated';

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
 * nftables; dnsmasq's DHCP) and, only when a guest link has IPv6, NET_RAW (dnsmasq's router
 * advertisements on a raw ICMPv6 socket); each helper keeps only its share of them
 * (image/supervisor/network/dnsmasq.ts);
 * NET_BIND_SERVICE is not needed (Docker lets every process bind low ports in a container).
 * Forwarding is switched on with namespaced sysctls; IPv6 only where a guest link or LAN uses
 * it. LAN "own" NICs (a macvtap per NIC) need NET_ADMIN (the macvtap link), MKNOD (its /dev/tapN
 * node, which no udev makes in a container) and a device cgroup rule for the macvtap major
 * (`macvtapMajor`, the host's): no tun, no NET_RAW, no sysctl, as nothing is routed. Never
 * privileged. Pure.
 *
 * Why the macvtap rule names the major and not the one minor: a macvtap's minor is the lowest
 * free one on the host when its link is made, and the link can only be made once the
 * container runs (on the container's LAN interface, in its network namespace, which Docker
 * makes at start), while Docker fixes a container's device rules at create and has no call to
 * change them later. An exact rule needs the namespace made before the container: a holder
 * container owning it, the link made there by a helper, the VM container joining it with
 * the node passed as a device (no MKNOD). Until then MKNOD stays with the supervisor alone
 * (which also serves the console): QEMU, dnsmasq and smbd start without it (capsh), so code
 * the guest takes over in them cannot make a node for another VM's tap.
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
  const raw = routed.some((nic) => nic.subnetV6 !== undefined);
  return {
    capAdd: [...new Set(['NET_ADMIN', ...(raw ? ['NET_RAW'] : []), ...macvtap.capAdd])],
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
export function isolatedNetworkOptions(name = ISOLATED_NETWORK): Dockerode.NetworkCreateOptions {
  return {
    Name: name,
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
