import type { BenchOptions } from '../args';
import type { Row } from '../table';
import type { SshHostsRig } from '../../tests/rig/ssh-hosts';

/** What every group gets: options, a logger, where rows go, and cleanup that always runs. */
export interface GroupContext {
  opts: BenchOptions;
  log(line: string): void;
  add(row: Row): void;
  /** Registers an undo step (run in reverse order at the end, also on Ctrl-C). */
  onCleanup(step: () => Promise<unknown>): void;
  /** The SSH test hosts (started once by main for the groups that need them). */
  sshHosts(): Promise<SshHostsRig>;
}

/** Runs a measurement that yields rows; a failure becomes an error row, never the end of the run. */
export async function guarded(
  ctx: GroupContext,
  group: string,
  name: string,
  unit: Row['unit'],
  body: () => Promise<void>,
): Promise<void> {
  try {
    await body();
  } catch (error) {
    const message = (error as Error).message?.split('\n').slice(0, 6).join(' ') ?? String(error);
    ctx.log(`  ! ${group}/${name}: ${message}`);
    ctx.add({ group, name, unit, error: message });
  }
}
