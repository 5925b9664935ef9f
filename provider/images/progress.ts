// Progress lines while an image moves: one per 5 % (or every 30 s), written to stderr, which
// `pulumi up` shows for a dynamic provider (as provider/media/progress-log.ts does for downloads).
import { percentOf, progressThrottle, sizeText } from '../progress/throttle';

export type Write = (line: string) => void;

/** A counter that writes `what: done of total (p%)` when due. */
export function progressLines(
  what: string,
  total: number | undefined,
  write: Write,
  now: () => number = Date.now,
): (done: number) => void {
  const throttle = progressThrottle(now);
  return (done) => {
    const percent = percentOf(done, total);
    if (!throttle.due(percent)) return;
    const of = total ? ` of ${sizeText(total)} (${percent}%)` : '';
    write(`${what}: ${sizeText(done)}${of}`);
  };
}
