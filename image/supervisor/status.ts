import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { RUNTIME_PATHS } from '../../provider/spec';

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

/** Machine-readable status at /run/windock/status.json; the provider reads it through exec. */
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

export class StatusFile {
  private status: VmStatus = {
    phase: 'preparing',
    warnings: [],
    guest: { agent: false, beacon: false },
    updatedAt: new Date().toISOString(),
  };

  constructor(private readonly path: string = RUNTIME_PATHS.status) {}

  get current(): VmStatus {
    return this.status;
  }

  update(change: Partial<Omit<VmStatus, 'updatedAt'>>): void {
    this.status = { ...this.status, ...change, updatedAt: new Date().toISOString() };
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.status) + '\n');
    renameSync(tmp, this.path);
  }

  static read(path: string = RUNTIME_PATHS.status): VmStatus {
    return vmStatus.parse(JSON.parse(readFileSync(path, 'utf8')));
  }
}
