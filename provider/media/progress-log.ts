// Download progress while create waits: a line per few percent (or every 30 s), so `pulumi up`
// shows the media download moving instead of a frozen spinner. The engine shows what a dynamic
// provider writes to stderr.
import type { VmStatus } from '../spec';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** "4.87 GiB", or "3.5 MiB" below a GiB (a drivers ISO, a test's media). */
function size(bytes: number): string {
  return bytes >= GiB ? `${(bytes / GiB).toFixed(2)} GiB` : `${(bytes / MiB).toFixed(1)} MiB`;
}

export function describeDownload(download: NonNullable<VmStatus['download']>): string {
  const done = size(download.bytes);
  const total = download.totalBytes
    ? ` of ${size(download.totalBytes)} (${Math.floor((100 * download.bytes) / download.totalBytes)}%)`
    : '';
  const waiting = download.waitingFor ? ` (VM "${download.waitingFor}" downloads it; this VM waits)` : '';
  return `downloading ${download.mediaKey} from ${download.source}: ${done}${total}${waiting}`;
}

/** A line per few percent of one VM's downloads (the fetch step's progress reports). */
export function downloadLineLogger(
  vmName: string,
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
  now: () => number = Date.now,
): (download: NonNullable<VmStatus['download']>) => void {
  let lastPercent = -1;
  let lastAt = -Infinity;
  let lastKey: string | undefined;
  return (download) => {
    // The install media, then the drivers ISO: each starts from 0 %.
    if (download.mediaKey !== lastKey) {
      lastKey = download.mediaKey;
      lastPercent = -1;
      lastAt = -Infinity;
    }
    const percent = download.totalBytes
      ? Math.floor((100 * download.bytes) / download.totalBytes)
      : undefined;
    const due =
      percent === undefined
        ? now() - lastAt >= 30_000
        : percent >= lastPercent + 5 || now() - lastAt >= 30_000;
    if (!due) return;
    lastPercent = percent ?? lastPercent;
    lastAt = now();
    write(`windock: VM "${vmName}": ${describeDownload(download)}`);
  };
}

/** The same from a VM's status (a v2 image downloads in the VM's own container). */
export function downloadProgressLogger(
  vmName: string,
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
  now: () => number = Date.now,
): (status: VmStatus) => void {
  const lines = downloadLineLogger(vmName, write, now);
  return (status) => {
    if (status.phase === 'downloading' && status.download) lines(status.download);
  };
}
