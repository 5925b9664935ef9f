import { VM_SPEC_VERSION } from './version';
import type { VmSpec } from './vm-spec';

/** A complete, valid spec for tests and examples; override what a case is about. */
export function sampleSpec(overrides: Partial<VmSpec> = {}): VmSpec {
  return {
    specVersion: VM_SPEC_VERSION,
    name: 'build-01',
    accelerator: 'auto',
    machine: 'pc-q35-7.2',
    cpu: { cores: 2 },
    memoryMiB: 4096,
    firmware: { type: 'uefi', tpm: false },
    boot: { kind: 'disk' },
    identity: { uuid: '6f1c1d7e-2a4b-4c3d-9e8f-0a1b2c3d4e5f', serial: 'WINDOCK-BUILD-01' },
    disks: [{ name: 'system', sizeMiB: 65536, format: 'qcow2', source: { kind: 'blank' }, readOnly: false }],
    network: {
      nics: [
        {
          mode: 'user',
          name: 'net0',
          model: 'virtio-net-pci',
          mac: '52:54:00:12:34:56',
          ports: [{ name: 'rdp', protocol: 'tcp', guest: 3389, container: 3389 }],
          egress: 'all',
          ipv6: true,
        },
      ],
      hostName: 'host.lan',
    },
    console: { enabled: true, port: 8006, viewOnly: false, auth: { kind: 'token', secret: 'console-token' } },
    snapshots: { enabled: true },
    guestAgent: { enabled: true },
    power: { shutdownTimeoutSeconds: 110, powerdownIntervalSeconds: 2 },
    allowReinstall: false,
    ...overrides,
  };
}
