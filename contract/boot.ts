import { z } from 'zod';

export const firmwareSpec = z.strictObject({
  /** uefi-secure: Secure Boot with Microsoft keys and SMM (Windows 11 proper). */
  type: z.enum(['uefi', 'uefi-secure', 'bios']),
  tpm: z.boolean(),
});

/** What the VM boots. */
export const bootSpec = z.discriminatedUnion('kind', [
  /** The system disk (an installed Windows). */
  z.strictObject({ kind: z.literal('disk') }),
  /**
   * A kernel and initrd booted directly: the stand-in guest used where Windows cannot run
   * (tests, the offline quickstart). Paths are inside the container.
   */
  z.strictObject({
    kind: z.literal('kernel'),
    kernel: z.string().startsWith('/'),
    initrd: z.string().startsWith('/'),
    cmdline: z.string().max(4096),
  }),
]);

export type FirmwareSpec = z.infer<typeof firmwareSpec>;
export type BootSpec = z.infer<typeof bootSpec>;
