import type { NicSpec, VmSpec } from '../../../provider/spec';

function userNetdev(nic: Extract<NicSpec, { mode: 'user' }>): string {
  const forwards = nic.ports.map((port) => `hostfwd=${port.protocol}::${port.container}-:${port.guest}`);
  return [
    'user',
    `id=${nic.name}`,
    `ipv6=${nic.ipv6 ? 'on' : 'off'}`,
    ...(nic.egress === 'none' ? ['restrict=on'] : []),
    ...forwards,
  ].join(',');
}

export function networkArgs(spec: VmSpec): string[] {
  return spec.network.nics.flatMap((nic) => {
    if (nic.mode !== 'user')
      throw new Error(`NIC ${nic.name}: mode "${nic.mode}" is not supported by this image yet`);
    return [
      '-netdev',
      userNetdev(nic),
      // romfile= : no PXE option ROM needed, and the image need not ship iPXE.
      '-device',
      `${nic.model},netdev=${nic.name},mac=${nic.mac},romfile=`,
    ];
  });
}
