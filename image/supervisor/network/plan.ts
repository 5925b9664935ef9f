import { guestLink, routedNics, type GuestLink, type RoutedNic, type VmSpec } from '../../../contract';
import { findUplink, type IpAddressEntry, type Uplink } from './uplink';

/** One routed NIC with its names and addresses inside the container, and its LAN uplink. */
export interface RoutedPlan {
  nic: RoutedNic;
  link: GuestLink;
  /** The container's interface on the LAN (lan NICs only). */
  uplink?: Uplink;
}

/**
 * The routed NICs of a spec, each with its uplink found among the container's interfaces.
 * Throws, naming the NIC and its subnet, when a LAN NIC's interface is missing. Pure.
 */
export function routedPlan(spec: VmSpec, interfaces: IpAddressEntry[]): RoutedPlan[] {
  return routedNics(spec.network).map((nic) => {
    const link = guestLink(nic);
    if (nic.mode !== 'lan') return { nic, link };
    const uplink = findUplink(interfaces, nic.uplink);
    if (!uplink) {
      const subnets = [nic.uplink.subnetV4, nic.uplink.subnetV6].filter(Boolean).join(' / ');
      throw new Error(
        `NIC ${nic.name}: the container has no interface in ${subnets}; is it attached to the LAN network?`,
      );
    }
    return { nic, link, uplink };
  });
}
