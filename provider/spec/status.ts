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
  accelerator: z.enum(['kvm', 'tcg']).optional(),
  warnings: z.array(z.string()),
  error: z.object({ step: z.string(), message: z.string(), exitCode: z.number() }).optional(),
  guest: z.object({
    /** The guest agent's port is open in the guest. */
    agent: z.boolean(),
    /** The guest sent its "desktop ready" beacon. */
    beacon: z.boolean(),
  }),
  qemuPid: z.number().optional(),
  updatedAt: z.string(),
});
export type VmStatus = z.infer<typeof vmStatus>;
