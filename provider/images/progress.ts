// Progress lines while an image moves: one per 5 % (or every 30 s), written to stderr, which
// `pulumi up` shows for a dynamic provider (as provider/media/progress-log.ts does for downloads).
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

export function sizeText(bytes: number): string {
  return bytes >= GiB ? `${(bytes / GiB).toFixed(2)} GiB` : `${(bytes / MiB).toFixed(1)} MiB`;
}

export type Write = (line: string) => void;

/** A counter that writes `what: done of total (p%)` when due. */
export function progressLines(
  what: string,
  total: number | undefined,
  write: Write,
  now: () => number = Date.now,
): (done: number) => void {
  let lastPercent = -1;
  let lastAt = -Infinity;
  return (done) => {
    const percent = total ? Math.floor((100 * done) / total) : undefined;
    const due =
      percent === undefined
        ? now() - lastAt >= 30_000
        : percent >= lastPercent + 5 || now() - lastAt >= 30_000;
    if (!due) return;
    lastPercent = percent ?? lastPercent;
    lastAt = now();
    const of = total ? ` of ${sizeText(total)} (${percent}%)` : '';
    write(`${what}: ${sizeText(done)}${of}`);
  };
}
