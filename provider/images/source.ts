// Where a VM's disk image comes from, whichever media input names it.
import type { MediaInput } from '../resources/windows-vm/media-input';
import type { ImageFormat } from './cache';

export type ImageOrigin =
  { kind: 'file'; path: string } | { kind: 'url'; url: string } | { kind: 'host'; path: string };

export interface ImageSource {
  /** The input field that names the image (errors name it). */
  field: string;
  format: ImageFormat;
  formatField: string;
  sha256?: string;
  from: ImageOrigin;
}

/** The disk image a VM's media imports through the host's image cache, if any. */
export function imageSourceOf(media: MediaInput | undefined): ImageSource | undefined {
  if (media?.kind === 'kernel')
    return {
      field: 'media.diskImageFile',
      format: media.diskImageFormat ?? 'qcow2',
      formatField: 'media.diskImageFormat',
      from: { kind: 'file', path: media.diskImageFile },
    };
  if (media?.kind !== 'disk-image') return undefined;
  const common = { format: media.format, formatField: 'media.format', sha256: media.sha256 };
  if (media.url !== undefined)
    return { ...common, field: 'media.url', from: { kind: 'url', url: media.url } };
  if (media.hostPath !== undefined)
    return { ...common, field: 'media.hostPath', from: { kind: 'host', path: media.hostPath } };
  return { ...common, field: 'media.file', from: { kind: 'file', path: media.file ?? '' } };
}

/** How the image is named in progress lines. */
export function describeOrigin(from: ImageOrigin): string {
  return from.kind === 'url' ? from.url : from.path;
}
