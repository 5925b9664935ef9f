// A line per waiting VM at least every 30 s while create or a restart waits for readiness, so
// `pulumi up` shows what the guest is doing (the engine shows what a dynamic provider writes to
// stderr). Downloads have their own lines (media/progress-log.ts).
import { progressThrottle } from '../progress/throttle';
import type { VmStatus } from '../../contract';

export const WAIT_PROGRESS_INTERVAL_MS = 30_000;

/** "45s", "3m05s", "1h02m". */
export function elapsedText(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

export interface WaitProgressOptions {
  vmName: string;
  /** The readiness level waited for. */
  level: string;
  intervalMs?: number;
  now?: () => number;
  write?: (line: string) => void;
}

export interface WaitProgress {
  /** True when a line is due (the caller then reads the console, which costs an exec). */
  due(): boolean;
  /** Writes the line: VM, phase, elapsed, the console's last line. */
  report(status: VmStatus | undefined, consoleLastLine: string | undefined): void;
}

export function waitProgress(options: WaitProgressOptions): WaitProgress {
  const now = options.now ?? Date.now;
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const started = now();
  const throttle = progressThrottle(now, options.intervalMs ?? WAIT_PROGRESS_INTERVAL_MS);
  throttle.due(undefined); // the first line after one interval, not at once: most waits are short
  return {
    // A download has its own lines; a second line per VM would only repeat it.
    due: () => throttle.due(undefined),
    report(status, consoleLastLine) {
      if (status?.phase === 'downloading') return;
      const phase = status?.phase ?? 'starting';
      const install = status?.install?.step === 'setup' ? ', Windows Setup running' : '';
      const line =
        consoleLastLine && consoleLastLine.length > 160
          ? `${consoleLastLine.slice(0, 160)}...`
          : consoleLastLine;
      const console = line ? `console: ${line}` : 'console: (no output yet)';
      write(
        `windock: VM "${options.vmName}": waiting for readiness "${options.level}", phase ${phase}${install}, ${elapsedText(now() - started)} elapsed; ${console}`,
      );
    },
  };
}
