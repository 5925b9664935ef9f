// Pure helpers of the benchmarks: summaries of repeated measurements and ratios.

/** A summary of repeated measurements: median, with min and max and how many runs. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
  /** Every run, in the order taken. */
  samples: number[];
}

/** The median of a list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(samples: readonly number[]): Summary {
  const finite = samples.filter((v) => Number.isFinite(v));
  if (finite.length === 0) throw new Error('no finite samples to summarize');
  return {
    median: median(finite),
    min: Math.min(...finite),
    max: Math.max(...finite),
    n: finite.length,
    samples: [...finite],
  };
}

/** A single value as a summary (n = 1). */
export function single(value: number): Summary {
  return summarize([value]);
}

/** ours / anchor, by medians; undefined when either side is missing or the anchor is zero. */
export function ratioOf(ours: Summary | undefined, anchor: Summary | undefined): number | undefined {
  if (!ours || !anchor || anchor.median === 0) return undefined;
  return ours.median / anchor.median;
}

/** Runs `body` `runs` times (after `warmup` unmeasured runs) and summarizes what it returns. */
export async function repeat(
  runs: number,
  body: (run: number) => Promise<number>,
  warmup = 0,
): Promise<Summary> {
  for (let i = 0; i < warmup; i++) await body(-1 - i);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await body(i));
  return summarize(samples);
}

/** Milliseconds since `t0` (from `now()`), with sub-millisecond resolution. */
export function elapsedMs(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export function now(): bigint {
  return process.hrtime.bigint();
}

/** Times one async call in milliseconds. */
export async function timed<T>(body: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = now();
  const value = await body();
  return { ms: elapsedMs(t0), value };
}
