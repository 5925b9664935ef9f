// Download progress while create waits: a line per few percent (or every 30 s), so `pulumi up`
// shows the media download moving instead of a frozen spinner. The engine shows what a dynamic
// provider writes to stderr.
import type { VmStatus } from '../spec';

const GiB = 1024 ** 3;

export function describeDownload(download: NonNullable<VmStatus['download']>): string {
  const done = `${(download.bytes / GiB).toFixed(2)} GiB`;
  const total = download.totalBytes
    ? ` of ${(download.totalBytes / GiB).toFixed(2)} GiB (${Math.floor((100 * download.bytes) / download.totalBytes)}%)`
    : '';
  const waiting = download.waitingFor ? ` (VM "${download.waitingFor}" downloads it; this VM waits)` : '';
  return `downloading ${download.mediaKey} from ${download.source}: ${done}${total}${waiting}`;
}

export function downloadProgressLogger(
  vmName: string,
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
  now: () => number = Date.now,
): (status: VmStatus) => void {
  let lastPercent = -1;
  let lastAt = 0;
  return (status) => {
    if (status.phase !== 'downloading' || !status.download) return;
    const percent = status.download.totalBytes
      ? Math.floor((100 * status.download.bytes) / status.download.totalBytes)
      : undefined;
    const due =
      percent === undefined
        ? now() - lastAt >= 30_000
        : percent >= lastPercent + 5 || now() - lastAt >= 30_000;
    if (!due) return;
    lastPercent = percent ?? lastPercent;
    lastAt = now();
    write(`windock: VM "${vmName}": ${describeDownload(status.download)}`);
  };
}
