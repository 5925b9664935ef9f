import { createHash, randomUUID } from 'node:crypto';

/** What makes a VM itself to its guest: SMBIOS UUID and serial, and a stable MAC. */
export interface VmIdentity {
  uuid: string;
  serial: string;
  mac: string;
}

/** The MAC is derived from the UUID, so it stays stable across every restart of the VM. */
export function identityFor(uuid: string): VmIdentity {
  const hash = createHash('sha256').update(uuid).digest();
  // 52:54:00 is QEMU's locally administered prefix.
  const mac = ['52', '54', '00', ...[0, 1, 2].map((i) => hash[i]!.toString(16).padStart(2, '0'))].join(':');
  return { uuid, serial: `WDK-${uuid.replace(/-/g, '').slice(0, 12).toUpperCase()}`, mac };
}

export function newIdentity(): VmIdentity {
  return identityFor(randomUUID());
}
