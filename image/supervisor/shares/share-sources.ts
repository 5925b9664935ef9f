import { statSync } from 'node:fs';
import type { VmSpec } from '../../../contract';
import { EXIT, SupervisorError } from '../exit-codes';

/** A share whose folder is not the one the provider checked on the host. */
export interface ShareSourceMismatch {
  share: string;
  reason: string;
}

type Stat = (path: string) => { dev: bigint; ino: bigint; isDirectory(): boolean };
const bigintStat: Stat = (path) => statSync(path, { bigint: true });

/**
 * At every start, before smbd serves anything: each /shares/NAME must be the very folder the
 * provider resolved and checked on the host (same st_dev and st_ino). Docker resolves a bind
 * mount's source again at each container start, so a symbolic link or mount swapped in on the
 * host after the container was made would otherwise hand the guest another folder (/etc).
 */
export function shareSourceMismatches(spec: VmSpec, stat: Stat = bigintStat): ShareSourceMismatch[] {
  const mismatches: ShareSourceMismatch[] = [];
  for (const share of spec.shares?.shares ?? []) {
    const expected = share.hostIdentity;
    if (expected.kind !== 'directory') continue;
    let found: ReturnType<Stat>;
    try {
      found = stat(share.path);
    } catch (error) {
      mismatches.push({
        share: share.name,
        reason: `${share.path} cannot be read (${(error as Error).message})`,
      });
      continue;
    }
    if (found.isDirectory() && String(found.dev) === expected.dev && String(found.ino) === expected.ino)
      continue;
    mismatches.push({
      share: share.name,
      reason:
        `${share.path} is not the host folder ${expected.hostPath} checked when the container was made ` +
        `(device:inode ${expected.dev}:${expected.ino}, found ${found.dev}:${found.ino}): ` +
        'a symbolic link or mount was swapped in on the host since',
    });
  }
  return mismatches;
}

/** Refuses the start when any share's folder was swapped: the exit code and message name the share. */
export function refuseSwappedShares(spec: VmSpec, log: (line: string) => void): void {
  const mismatches = shareSourceMismatches(spec);
  if (mismatches.length === 0) return;
  for (const m of mismatches) log(`share "${m.share}": ${m.reason}`);
  throw new SupervisorError(
    mismatches.map((m) => `share "${m.share}": ${m.reason}`).join('; ') +
      '. Not started: check the folder on the host, then run `pulumi up` so the provider resolves and checks it again',
    EXIT.HOST_PATH,
    `share ${mismatches.map((m) => m.share).join(', ')}`,
  );
}
