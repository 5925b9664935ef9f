import type { OwnNic } from '../../../contract';
import type { Uplink } from './uplink';

/** The macvtap of a LAN "own" NIC inside the container. */
export function macvtapName(nic: OwnNic): string {
  return `mvt-${nic.name}`;
}

/**
 * The `ip` commands that put a LAN "own" NIC's guest on the LAN: a macvtap in bridge mode on
 * the container's LAN interface, carrying the guest's MAC (so the guest's frames leave with
 * it, and neighbours on the same macvlan parent reach it), receiving every multicast. An earlier one of the same name is
 * removed first. Pure.
 */
export function macvtapCommands(nic: OwnNic, uplink: Uplink): { cleanup: string[][]; create: string[][] } {
  const name = macvtapName(nic);
  return {
    cleanup: [['link', 'del', name]],
    create: [
      [
        'link',
        'add',
        'link',
        uplink.ifname,
        'name',
        name,
        'address',
        nic.mac,
        'type',
        'macvtap',
        'mode',
        'bridge',
      ],
      // The guest's multicast groups (IPv6 neighbour solicitations to its solicited-node
      // address) are not the macvtap's own: without allmulticast macvlan filters them out.
      ['link', 'set', name, 'allmulticast', 'on'],
      ['link', 'set', name, 'up'],
    ],
  };
}

/** Where the supervisor makes a macvtap's character device: /dev/tap<ifindex>, as udev would. */
export function macvtapDevicePath(ifindex: number): string {
  return `/dev/tap${ifindex}`;
}

/** The device numbers in a sysfs `dev` file ("246:1\n"). Pure. */
export function parseDeviceNumbers(text: string): { major: number; minor: number } {
  const match = /^(\d+):(\d+)\s*$/.exec(text);
  if (!match) throw new Error(`unexpected device numbers "${text.trim()}"`);
  return { major: Number(match[1]), minor: Number(match[2]) };
}
