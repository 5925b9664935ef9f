// When a progress line is due: one per 5 % (or every 30 s when the total is unknown or the
// transfer stalls), so `pulumi up` shows a transfer moving without flooding its display.
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** "4.87 GiB", or "3.5 MiB" below a GiB. */
export function sizeText(bytes: number): string {
  return bytes >= GiB ? `${(bytes / GiB).toFixed(2)} GiB` : `${(bytes / MiB).toFixed(1)} MiB`;
}

export function percentOf(done: number, total: number | undefined): number | undefined {
  return total ? Math.floor((100 * done) / total) : undefined;
}

export interface ProgressThrottle {
  /** True (and remembered) when a line for this percent is due. */
  due(percent: number | undefined): boolean;
  /** A new transfer starts from 0 %. */
  reset(): void;
}

export function progressThrottle(now: () => number = Date.now, intervalMs = 30_000): ProgressThrottle {
  let lastPercent = -1;
  let lastAt = -Infinity;
  return {
    due(percent) {
      const stale = now() - lastAt >= intervalMs;
      if (!(percent === undefined ? stale : percent >= lastPercent + 5 || stale)) return false;
      lastPercent = percent ?? lastPercent;
      lastAt = now();
      return true;
    },
    reset() {
      lastPercent = -1;
      lastAt = -Infinity;
    },
  };
}
