import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchiveFile } from '../../provider/docker/spec-archive';
import { sampleSpec } from '../../contract/sample-spec';
import type { VmSpec } from '../../contract';

/** The stand-in guest built by the set-up (scripts/setup/guest.sh). */
export function standinGuestDir(): string {
  const dir =
    process.env.WINDOCK_GUEST_DIR ?? join(process.env.WINDOCK_CACHE ?? '/var/cache/windock', 'guest');
  if (!existsSync(join(dir, 'vmlinuz'))) {
    throw new Error(`the stand-in guest is missing in ${dir}: run the set-up first (scripts/setup.sh)`);
  }
  return dir;
}

export const STANDIN_READY = /WINDOCK-GUEST-READY boot=(\d+)/;
export const STANDIN_POWEROFF = 'WINDOCK-GUEST-POWEROFF';

/** A spec that boots the stand-in guest under TCG from files placed in the volume. */
export function standinSpec(overrides: Partial<VmSpec> = {}): VmSpec {
  return sampleSpec({
    name: 'standin',
    accelerator: 'tcg',
    cpu: { cores: 1 },
    memoryMiB: 256,
    firmware: { type: 'bios', tpm: false },
    boot: {
      kind: 'kernel',
      kernel: '/storage/boot/vmlinuz',
      initrd: '/storage/boot/initrd.img',
      cmdline: 'console=ttyS0 quiet',
    },
    disks: [
      {
        name: 'system',
        sizeMiB: 64,
        format: 'qcow2',
        source: { kind: 'import', path: '/storage/import/system.qcow2', format: 'qcow2' },
        readOnly: false,
      },
    ],
    power: { shutdownTimeoutSeconds: 30, powerdownIntervalSeconds: 2 },
    ...overrides,
  });
}

export function standinStorageFiles(): ArchiveFile[] {
  const dir = standinGuestDir();
  return [
    { path: 'boot/vmlinuz', content: readFileSync(join(dir, 'vmlinuz')) },
    { path: 'boot/initrd.img', content: readFileSync(join(dir, 'initrd.img')) },
    { path: 'import/system.qcow2', content: readFileSync(join(dir, 'disk.qcow2')) },
  ];
}

/** WindowsVm media that boots the stand-in guest from the set-up's fixture files. */
export function standinMedia(): {
  kind: 'kernel';
  kernelFile: string;
  initrdFile: string;
  diskImageFile: string;
} {
  const dir = standinGuestDir();
  return {
    kind: 'kernel',
    kernelFile: `${dir}/vmlinuz`,
    initrdFile: `${dir}/initrd.img`,
    diskImageFile: `${dir}/disk.qcow2`,
  };
}

/** WindowsVm arguments (as stack config for the test programs) of a small stand-in VM under TCG. */
export function standinVmArgs(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    media: standinMedia(),
    cpu: 1,
    memory: '256MiB',
    systemDiskSize: '64MiB',
    firmware: 'bios',
    accelerator: 'tcg',
    timeouts: { createSeconds: 240, shutdownSeconds: 30 },
    ...overrides,
  };
}

/** WindowsVm arguments of a small stand-in linked clone (add `name` and `cloneFrom`). */
export function standinCloneArgs(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { media: _media, ...args } = standinVmArgs(overrides);
  return args;
}
