import { readFileSync } from 'node:fs';
import type { ArchiveFile } from '../../docker/spec-archive';
import { checkLocalFile } from '../../security/local-files';
import type { WindowsVmInputs } from './inputs';

type Media = NonNullable<WindowsVmInputs['media']>;

/** The media's files on the machine running Pulumi, by field, with where they go under /storage. */
function localFiles(media: Media | undefined): Array<{ field: string; path: string; into?: string }> {
  if (media?.kind === 'kernel')
    return [
      { field: 'media.kernelFile', path: media.kernelFile, into: 'boot/vmlinuz' },
      { field: 'media.initrdFile', path: media.initrdFile, into: 'boot/initrd.img' },
      // Disk images go through the host's image cache (provider/images), never in the archive.
      { field: 'media.diskImageFile', path: media.diskImageFile },
    ];
  if (media?.kind === 'disk-image' && media.file !== undefined)
    return [{ field: 'media.file', path: media.file }];
  return [];
}

/** Small files of the media that go into the storage volume before the first boot (paths under /storage). */
export function mediaFiles(media: Media): ArchiveFile[] {
  return localFiles(media).flatMap((file) => {
    if (!file.into) return [];
    const verdict = checkLocalFile(file.path, file.field);
    if (!verdict.ok) throw new Error(verdict.reason);
    return [{ path: file.into, content: readFileSync(verdict.path) }];
  });
}

/**
 * Files the media needs, checked at preview so a typo fails before anything is made: each
 * exists and, links resolved, is neither a system file nor a credential of the Pulumi machine.
 */
export function missingMediaFiles(
  media: WindowsVmInputs['media'],
): Array<{ field: string; path: string; reason: string }> {
  return localFiles(media).flatMap((file) => {
    const verdict = checkLocalFile(file.path, file.field);
    return verdict.ok ? [] : [{ field: file.field, path: file.path, reason: verdict.reason }];
  });
}
