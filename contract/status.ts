import { z } from 'zod';

export const vmPhase = z.enum([
  'preparing',
  'downloading',
  'installing',
  'booting',
  'running',
  'stopping',
  'stopped',
  'failed',
]);
export type VmPhase = z.infer<typeof vmPhase>;

/**
 * The supervisor's machine-readable status (/run/windock/status.json), part of the contract
 * with the provider, which reads it through `docker exec`.
 */
export const vmStatus = z.object({
  phase: vmPhase,
  /** 0-100 while downloading or installing. */
  progress: z.number().min(0).max(100).optional(),
  /** While phase is "downloading": the installation media being fetched into the host's cache. */
  download: z
    .object({
      /** The media's cache key (the file /cache/<key>.iso). */
      mediaKey: z.string(),
      bytes: z.number().int().min(0),
      /** Unknown until the server says (no Content-Length) or the catalogue knows the size. */
      totalBytes: z.number().int().positive().optional(),
      /** Where it comes from, without query strings (download links carry tokens). */
      source: z.string(),
      /** Another VM on this host is downloading the same media: this one waits for it. */
      waitingFor: z.string().optional(),
    })
    .optional(),
  /**
   * A fresh install from media: "setup" while Windows Setup runs (phase "installing"),
   * "finished" once the first-logon beacon arrived (recorded in the volume: never installed again).
   */
  install: z.object({ step: z.enum(['setup', 'finished']), finishedAt: z.string().optional() }).optional(),
  accelerator: z.enum(['kvm', 'tcg']).optional(),
  warnings: z.array(z.string()),
  error: z.object({ step: z.string(), message: z.string(), exitCode: z.number() }).optional(),
  guest: z.object({
    /** The guest agent's port is open in the guest. */
    agent: z.boolean(),
    /** The guest sent its "desktop ready" beacon. */
    beacon: z.boolean(),
  }),
  /**
   * The guest panicked (QMP GUEST_PANICKED through the pvpanic device): QEMU paused it for
   * inspection and phase is "failed" (error.step "guest-panic") until the guest is reset.
   */
  panic: z
    .object({
      at: z.string(),
      /** QEMU's panic action ("pause"). */
      action: z.string(),
      /** What the guest said, when it says (Hyper-V crash parameters: a Windows bug check). */
      detail: z.string().optional(),
    })
    .optional(),
  qemuPid: z.number().optional(),
  updatedAt: z.string(),
});
export type VmStatus = z.infer<typeof vmStatus>;
