import { checkHostPath } from '../../security/host-paths';
import { z } from 'zod';

const dnsLabel = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,40}$/,
    'a VM name: lowercase letters, digits and "-" (max 41), starting with a letter or digit',
  );

/** Which GPU: exactly one of a PCI address, an index (PCI order among the host's GPUs), or an NVIDIA UUID. */
export const gpuSelector = z.union([
  z.strictObject({
    pciAddress: z
      .string()
      .min(1)
      .describe(
        '"0000:01:00.0" or "01:00.0" (lspci\'s form); an SR-IOV virtual function\'s address passes that function.',
      ),
  }),
  z.strictObject({
    index: z
      .number()
      .int()
      .min(0)
      .max(63)
      .describe(
        "Position among the host's GPUs in PCI address order (lspci order; nvidia-smi's numbering can differ).",
      ),
  }),
  z.strictObject({
    uuid: z
      .string()
      .regex(/^(GPU|MIG)-[0-9a-fA-F-]{8,}$/, 'an NVIDIA UUID as nvidia-smi -L prints it ("GPU-...")')
      .describe(
        'An NVIDIA UUID ("GPU-..."), as nvidia-smi -L prints it (needs the NVIDIA container toolkit on the host).',
      ),
  }),
]);

/**
 * Every input of GpuAssignment. All but `labels` are replace-tier: a reservation is released
 * (its host changes undone) and made again; the VM that uses it restarts.
 */
export const gpuAssignmentInputs = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .max(128)
      .describe('The resource\'s name (the SDK passes it): the owner label is "<stack>/<name>".'),
    owner: z
      .string()
      .max(200)
      .default('')
      .describe('Who holds the reservation, for others\' messages: "<project>/<stack>" (the SDK sets it).'),
    host: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'a host name from the windock:hosts stack config')
      .default('local')
      .describe('A host from the windock:hosts stack config; "local" is the local Docker engine.'),
    vm: dnsLabel.describe(
      'The VM this GPU is for: its name on the host (WindowsVm `name`). Only that VM can use the assignment.',
    ),
    select: gpuSelector.describe(
      "Which GPU of the host: exactly one of a PCI address, an index (PCI order among the host's GPUs) or an NVIDIA UUID.",
    ),
    virtualFunction: z
      .number()
      .int()
      .min(0)
      .max(255)
      .optional()
      .describe('Pass this SR-IOV virtual function of the GPU instead of the whole GPU.'),
    mdevType: z
      .string()
      .regex(/^[A-Za-z0-9_. -]{1,64}$/)
      .optional()
      .describe(
        'Pass a mediated device (vGPU profile, e.g. "nvidia-63" or its name "GRID T4-1Q") of this type, made on the GPU (or its virtualFunction).',
      ),
    mdevUuid: z
      .uuid()
      .optional()
      .describe("The mediated device's UUID; default: derived from host, VM, device and type (stable)."),
    bindVfio: z
      .boolean()
      .default(false)
      .describe(
        'Let windock bind the functions to vfio-pci (or create the mediated device) through a short-lived helper container, and undo it on delete. Off: preview prints the exact host commands instead.',
      ),
    romFile: z
      .string()
      .regex(/^\/[^,\s]+$/, 'an absolute path on the host, without commas or spaces')
      .optional()
      .describe(
        "A ROM file on the Docker host for the GPU (bind-mounted read-only into the VM's container).",
      ),
    primaryDisplay: z
      .boolean()
      .default(false)
      .describe("Make the GPU the guest's primary display (x-vga; QEMU's emulated VGA is removed)."),
    labels: z
      .record(z.string().regex(/^[a-z0-9.-]+$/), z.string().max(256))
      .default({})
      .describe('Labels recorded in state: the one input whose change does not replace the assignment.'),
  })
  .superRefine((a, ctx) => {
    if (a.mdevUuid && !a.mdevType)
      ctx.addIssue({ code: 'custom', path: ['mdevUuid'], message: 'mdevUuid needs mdevType' });
    if (a.romFile) {
      // QEMU hands the ROM's bytes to the guest: a system file there would leak into the VM.
      const verdict = checkHostPath(a.romFile, 'romFile');
      if (!verdict.ok) ctx.addIssue({ code: 'custom', path: ['romFile'], message: verdict.reason });
    }
    if (a.romFile && a.mdevType)
      ctx.addIssue({
        code: 'custom',
        path: ['romFile'],
        message: 'a mediated device has no ROM of its own: leave romFile out',
      });
  });

export type GpuAssignmentInputs = z.output<typeof gpuAssignmentInputs>;
export type GpuAssignmentArgsShape = z.input<typeof gpuAssignmentInputs>;
