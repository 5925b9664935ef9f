// What makes a received file acceptable as a cached image, judged from `qemu-img info` of the
// file with its format probed (never taken from the user: a qcow2 declared raw would otherwise
// be read as raw, and one declared qcow2 could name a backing file). Pure.
import type { ImageFormat } from './cache';

export interface ImageInfo {
  format: string;
  'virtual-size': number;
  'actual-size'?: number;
  'backing-filename'?: string;
  'full-backing-filename'?: string;
  'format-specific'?: { type?: string; data?: { 'data-file'?: string } };
}

export interface Judged {
  field: string;
  formatField: string;
  declared: ImageFormat;
  /** The file's length in bytes. */
  length: number;
}

/** Why the file cannot enter the cache, or undefined when it can. */
export function judgeImageInfo(info: ImageInfo, judged: Judged): string | undefined {
  const { field, formatField, declared } = judged;
  if (info.format !== declared) {
    const seen =
      info.format === 'raw'
        ? 'not a disk image format qemu-img knows (it reads as raw data)'
        : `a ${info.format} image`;
    return `${field}: the file is ${seen}, not ${declared}: set ${formatField} to what the file is, or give the right file`;
  }
  const backing = info['full-backing-filename'] ?? info['backing-filename'];
  if (backing !== undefined)
    return (
      `${field}: the image names a backing file (${backing}); refused, it would make the host read ` +
      `that file into the VM. Give a self-contained image (qemu-img convert -O ${declared} in out)`
    );
  const dataFile = info['format-specific']?.data?.['data-file'];
  if (dataFile !== undefined)
    return `${field}: the image keeps its data in an external file (${dataFile}); refused, give a self-contained image`;
  if (declared === 'raw' && (judged.length === 0 || judged.length % 512 !== 0))
    return `${field}: ${judged.length} bytes is not a whole number of 512-byte sectors: not a raw disk image (truncated?)`;
  return undefined;
}

/** Whether the image fits the VM's system disk. */
export function judgeVirtualSize(
  virtualSize: number,
  systemDiskMiB: number,
  field: string,
): string | undefined {
  const needMiB = Math.ceil(virtualSize / 1024 ** 2);
  if (needMiB <= systemDiskMiB) return undefined;
  return (
    `systemDiskSize: ${systemDiskMiB} MiB is smaller than the image's virtual size (${needMiB} MiB, ${field}); ` +
    `set systemDiskSize to at least ${needMiB}MiB (the image stays in the host's cache)`
  );
}
