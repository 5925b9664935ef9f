import { StatusFile } from './status';

/** Docker HEALTHCHECK: healthy while the VM is coming up or running; unhealthy when failed. */
export function healthCommand(): number {
  try {
    const status = StatusFile.read();
    if (status.phase === 'failed') return 1;
    if (status.qemuPid !== undefined) process.kill(status.qemuPid, 0);
    return 0;
  } catch {
    return 1;
  }
}
