import { z } from 'zod';
import { bootSpec, firmwareSpec } from './boot';
import { consoleSpec } from './console';
import { diskSpec } from './disks';
import { networkSpec } from './network';
import { devicesSpec } from './passthrough';
import { installSpec } from './install';
import { recordingSpec } from './recording';
import { restoreSpec } from './restore';
import { sharesSpec } from './shares';
import { audioSpec, usbDeviceSpec } from './usb-audio';

/**
 * The VM spec: one versioned JSON document the provider writes into the container and the
 * image's supervisor reads. Fully resolved (no defaults left to the image), strict (unknown
 * keys are refused, never ignored), and free of secret values: secrets are named files.
 */
export const vmSpec = z
  .strictObject({
    specVersion: z.number().int(),
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
    accelerator: z.enum(['auto', 'kvm', 'tcg']),
    /** Pinned machine type: a snapshot only restores on the machine version that made it. */
    machine: z.string().regex(/^pc-(q35|i440fx)-\d+\.\d+$/),
    cpu: z.strictObject({ cores: z.number().int().min(1).max(256) }),
    memoryMiB: z.number().int().min(128),
    firmware: firmwareSpec,
    boot: bootSpec,
    /** Stable identity of this VM (SMBIOS type 1). Clones get their own. */
    identity: z.strictObject({
      uuid: z.uuid(),
      serial: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
    }),
    disks: z.array(diskSpec).min(1),
    network: networkSpec,
    console: consoleSpec,
    /** Snapshots need a migratable CPU: no +invtsc, firmware variables in qcow2. */
    snapshots: z.strictObject({ enabled: z.boolean() }),
    guestAgent: z.strictObject({ enabled: z.boolean() }),
    power: z.strictObject({
      /** How long SIGTERM keeps pressing the ACPI power button before QEMU is told to quit. */
      shutdownTimeoutSeconds: z.number().int().min(5).max(3600),
      powerdownIntervalSeconds: z.number().int().min(1).max(60),
    }),
    /** Allow a fresh install over a volume that already holds a system disk. */
    allowReinstall: z.boolean(),
    /** Host devices passed through with VFIO (GPUs and their functions, mediated devices). */
    devices: devicesSpec.optional(),
    /** Start from saved state (a snapshot, or a clone base's state file) instead of booting. */
    restore: restoreSpec.optional(),
    /** A fresh Windows install from media (only while the volume holds no installed system). */
    install: installSpec.optional(),
    /** Folders shared with the guest over SMB. */
    shares: sharesSpec.optional(),
    /** Host USB devices passed through. */
    usb: z.array(usbDeviceSpec).max(8).optional(),
    audio: audioSpec.optional(),
    recording: recordingSpec.optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.disks[0]?.name !== 'system') {
      ctx.addIssue({
        code: 'custom',
        path: ['disks', 0, 'name'],
        message: 'the first disk must be "system"',
      });
    }
    const names = new Set<string>();
    spec.disks.forEach((disk, i) => {
      if (names.has(disk.name))
        ctx.addIssue({
          code: 'custom',
          path: ['disks', i, 'name'],
          message: `duplicate disk "${disk.name}"`,
        });
      names.add(disk.name);
    });
    if (spec.firmware.type === 'uefi-secure' && !spec.machine.startsWith('pc-q35')) {
      ctx.addIssue({ code: 'custom', path: ['machine'], message: 'Secure Boot needs a q35 machine' });
    }
  });

export type VmSpec = z.infer<typeof vmSpec>;
