import { readFileSync } from 'node:fs';
import type { ArchiveFile } from '../../docker/spec-archive';
import { checkLocalFile } from '../../security/local-files';
import type { WindowsVmInputs } from './inputs';

type LocalMedia = Extract<NonNullable<WindowsVmInputs['media']>, { kind: 'kernel' | 'disk-image' }>;

/** The files of media on the machine running Pulumi, by field, with where they go under /storage. */
function localFiles(media: LocalMedia): Array<{ field: string; path: string; into: string }> {
  return media.kind === 'kernel'
    ? [
        { field: 'media.kernelFile', path: media.kernelFile, into: 'boot/vmlinuz' },
        { field: 'media.initrdFile', path: media.initrdFile, into: 'boot/initrd.img' },
        { field: 'media.diskImageFile', path: media.diskImageFile, into: 'import/system.qcow2' },
      ]
    : [{ field: 'media.file', path: media.file, into: `import/system.${media.format}` }];
}

const isLocal = (media: WindowsVmInputs['media']): media is LocalMedia =>
  media?.kind === 'kernel' || media?.kind === 'disk-image';

/** Files of the media that go into the storage volume before the first boot (paths under /storage). */
export function mediaFiles(media: NonNullable<WindowsVmInputs['media']>): ArchiveFile[] {
  // Install media are fetched by the image into the host's media cache, or mounted from the host.
  if (!isLocal(media)) return [];
  return localFiles(media).map((file) => {
    const verdict = checkLocalFile(file.path, file.field);
    if (!verdict.ok) throw new Error(verdict.reason);
    return { path: file.into, content: readFileSync(verdict.path) };
  });
}

/**
 * Files the media needs, checked at preview so a typo fails before anything is made: each
 * exists and, links resolved, is neither a system file nor a credential of the Pulumi machine.
 */
export function missingMediaFiles(
  media: WindowsVmInputs['media'],
): Array<{ field: string; path: string; reason: string }> {
  if (!isLocal(media)) return [];
  return localFiles(media).flatMap((file) => {
    const verdict = checkLocalFile(file.path, file.field);
    return verdict.ok ? [] : [{ field: file.field, path: file.path, reason: verdict.reason }];
  });
}
