import { z } from 'zod';

/**
 * Devices passed through to the guest with VFIO (a GPU and its other functions, an SR-IOV
 * virtual function, or a mediated device such as a vGPU). Part of the VM spec contract:
 * `spec.devices` (absent = no passthrough, so specs without devices are unchanged).
 *
 * The provider fills this from a GpuAssignment (provider/resources/gpu-assignment); the image
 * turns it into `-device vfio-pci,...` (image/supervisor/qemu/vfio.ts) and the container gets
 * only /dev/vfio/vfio and /dev/vfio/<group> of these devices (provider/gpu/container.ts).
 */

/** A full PCI address, lowercase: domain:bus:device.function ("0000:01:00.0"). */
export const pciAddress = z
  .string()
  .regex(
    /^[0-9a-f]{4}:[0-9a-f]{2}:[01][0-9a-f]\.[0-7]$/,
    'a full PCI address like 0000:01:00.0 (lowercase hex)',
  );

export const iommuGroup = z.string().regex(/^\d{1,5}$/, 'an IOMMU group number');

const deviceId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,15}$/, 'lowercase letters, digits and "-", starting with a letter (max 16)');

/** A file inside the container; QEMU's option syntax forbids commas in it. */
const containerFile = z.string().regex(/^\/[^,\s]+$/, 'an absolute path without commas or spaces');

export const pciFunctionSpec = z.strictObject({
  address: pciAddress,
  iommuGroup,
});

export const passthroughDeviceSpec = z.discriminatedUnion('kind', [
  /** A whole PCI device (every function listed: the GPU at .0, its audio at .1, ...) or an SR-IOV VF. */
  z.strictObject({
    kind: z.literal('pci'),
    id: deviceId,
    functions: z.array(pciFunctionSpec).min(1).max(8),
    /**
     * A ROM image for function 0 instead of the device's own: `hostFile` on the Docker host is
     * bind-mounted read-only at `file` in the container (romContainerPath), which QEMU reads.
     */
    rom: z
      .strictObject({
        hostFile: z.string().regex(/^\/[^\0]*$/, 'an absolute path on the host'),
        file: containerFile,
      })
      .optional(),
    /** The guest's primary display: x-vga on function 0, and no emulated VGA. */
    primaryDisplay: z.boolean(),
  }),
  /** A mediated device (a vGPU profile instance) that already exists on the host. */
  z.strictObject({
    kind: z.literal('mdev'),
    id: deviceId,
    uuid: z.uuid(),
    iommuGroup,
    primaryDisplay: z.boolean(),
  }),
]);

export const devicesSpec = z
  .strictObject({
    pci: z.array(passthroughDeviceSpec).max(8),
  })
  .superRefine((devices, ctx) => {
    const ids = new Set<string>();
    const addresses = new Set<string>();
    devices.pci.forEach((device, i) => {
      if (ids.has(device.id))
        ctx.addIssue({
          code: 'custom',
          path: ['pci', i, 'id'],
          message: `duplicate device id "${device.id}"`,
        });
      ids.add(device.id);
      if (device.kind !== 'pci') return;
      const slots = new Set(device.functions.map((f) => f.address.slice(0, -2)));
      if (slots.size > 1)
        ctx.addIssue({
          code: 'custom',
          path: ['pci', i, 'functions'],
          message: 'the functions of one device share one slot (domain:bus:device)',
        });
      device.functions.forEach((fn, j) => {
        if (addresses.has(fn.address))
          ctx.addIssue({
            code: 'custom',
            path: ['pci', i, 'functions', j],
            message: `${fn.address} is passed through twice`,
          });
        addresses.add(fn.address);
      });
    });
    if (devices.pci.filter((d) => d.primaryDisplay).length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['pci'],
        message: 'at most one passed-through device can be the primary display',
      });
    }
  });

export type PciFunctionSpec = z.infer<typeof pciFunctionSpec>;
export type PassthroughDeviceSpec = z.infer<typeof passthroughDeviceSpec>;
export type DevicesSpec = z.infer<typeof devicesSpec>;

/** Where the provider bind-mounts a device's ROM file inside the container (read-only). */
export function romContainerPath(deviceId: string): string {
  return `/etc/windock/vfio/${deviceId}.rom`;
}

/** The VFIO device nodes the container needs: the container node and one per IOMMU group. */
export function vfioDeviceNodes(devices: DevicesSpec | undefined): string[] {
  if (!devices || devices.pci.length === 0) return [];
  const groups = new Set<string>();
  for (const device of devices.pci) {
    if (device.kind === 'pci') device.functions.forEach((fn) => groups.add(fn.iommuGroup));
    else groups.add(device.iommuGroup);
  }
  return [
    '/dev/vfio/vfio',
    ...[...groups].sort((a, b) => Number(a) - Number(b)).map((g) => `/dev/vfio/${g}`),
  ];
}

/**
 * Memory snapshots (snapshot-save with vmstate, or a migration to a file) cannot include a
 * passed-through device: its state lives in the hardware. Returns the refusal, or undefined.
 */
export function memorySnapshotRefusal(spec: { name: string; devices?: DevicesSpec }): string | undefined {
  const devices = spec.devices?.pci ?? [];
  if (devices.length === 0) return undefined;
  const what = devices
    .map((d) =>
      d.kind === 'pci'
        ? `${d.id} (${d.functions.map((f) => f.address).join(', ')})`
        : `${d.id} (mediated device ${d.uuid})`,
    )
    .join(', ');
  return (
    `VM "${spec.name}" has passed-through devices: ${what}. A memory snapshot cannot hold their state (it lives in the ` +
    'hardware, and VFIO blocks migration): power the VM off and take a disk-only snapshot, or remove `gpu` from the VM first'
  );
}
