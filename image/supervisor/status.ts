import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { RUNTIME_PATHS, vmStatus, type VmStatus } from '../../contract';

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
