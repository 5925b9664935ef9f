import type { VmSpec } from '../../../provider/spec';

export function networkArgs(spec: VmSpec): string[] {
  if (spec.network.mode === 'none') return [];
  const forwards = spec.network.ports.map(
    (port) => `hostfwd=${port.protocol}::${port.container}-:${port.guest}`,
  );
  return [
    '-netdev',
    ['user', 'id=net0', ...forwards].join(','),
    // romfile= : no PXE option ROM needed, and the image need not ship iPXE.
    '-device',
    `virtio-net-pci,netdev=net0,mac=${spec.network.mac},romfile=`,
  ];
}
