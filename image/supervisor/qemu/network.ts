import { guestLink, isOwnNic, macvtapFd, type NicSpec, type OwnNic, type VmSpec } from '../../../contract';

function userNetdev(nic: Extract<NicSpec, { mode: 'user' }>): string {
  const forwards = nic.ports.map((port) => `hostfwd=${port.protocol}::${port.container}-:${port.guest}`);
  return [
    'user',
    `id=${nic.name}`,
    // Both named: QEMU reads a lone ipv6=on as "IPv6 only" and the guest gets no IPv4 lease.
    'ipv4=on',
    `ipv6=${nic.ipv6 ? 'on' : 'off'}`,
    ...(nic.egress === 'none' ? ['restrict=on'] : []),
    ...forwards,
  ].join(',');
}

/**
 * NAT and LAN ("container") NICs: QEMU opens the persistent tap the supervisor made on the
 * NIC's bridge (image/supervisor/network/). No scripts; no vhost (no /dev/vhost-net is passed).
 */
function tapNetdev(nic: Exclude<Extract<NicSpec, { mode: 'nat' | 'lan' }>, OwnNic>): string {
  return [
    'tap',
    `id=${nic.name}`,
    `ifname=${guestLink(nic).tap}`,
    'script=no',
    'downscript=no',
    'vhost=off',
  ].join(',');
}

/**
 * LAN "own" NICs: the macvtap the supervisor opened, inherited as a file descriptor (QEMU
 * holds no capability to open /dev/tapN itself).
 */
function macvtapNetdev(spec: VmSpec, nic: OwnNic): string {
  return ['tap', `id=${nic.name}`, `fd=${macvtapFd(spec.network, nic.name)}`, 'vhost=off'].join(',');
}

export function networkArgs(spec: VmSpec): string[] {
  return spec.network.nics.flatMap((nic) => [
    '-netdev',
    nic.mode === 'user' ? userNetdev(nic) : isOwnNic(nic) ? macvtapNetdev(spec, nic) : tapNetdev(nic),
    // romfile= : no PXE option ROM needed, and the image need not ship iPXE.
    '-device',
    `${nic.model},netdev=${nic.name},mac=${nic.mac},romfile=`,
  ]);
}
