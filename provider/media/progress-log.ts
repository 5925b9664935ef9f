// Download progress while create waits: a line per few percent (or every 30 s), so `pulumi up`
// shows the media download moving instead of a frozen spinner. The engine shows what a dynamic
// provider writes to stderr.
import { percentOf, progressThrottle, sizeText } from '../progress/throttle';
import type { VmStatus } from '../../contract';

export function describeDownload(download: NonNullable<VmStatus['download']>): string {
  const done = sizeText(download.bytes);
  const total = download.totalBytes
    ? ` of ${sizeText(download.totalBytes)} (${percentOf(download.bytes, download.totalBytes)}%)`
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
  const throttle = progressThrottle(now);
  let lastKey: string | undefined;
  return (download) => {
    // The install media, then the drivers ISO: each starts from 0 %.
    if (download.mediaKey !== lastKey) {
      lastKey = download.mediaKey;
      throttle.reset();
    }
    if (!throttle.due(percentOf(download.bytes, download.totalBytes))) return;
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
