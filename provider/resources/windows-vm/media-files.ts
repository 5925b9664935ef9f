import { existsSync, readFileSync } from 'node:fs';
import type { ArchiveFile } from '../../docker/spec-archive';
import type { WindowsVmInputs } from './inputs';

/** Files of the media that go into the storage volume before the first boot (paths under /storage). */
export function mediaFiles(media: NonNullable<WindowsVmInputs['media']>): ArchiveFile[] {
  const read = (field: string, path: string): Buffer => {
    if (!existsSync(path))
      throw new Error(`media.${field}: ${path} does not exist on the machine running Pulumi`);
    return readFileSync(path);
  };
  switch (media.kind) {
    case 'kernel':
      return [
        { path: 'boot/vmlinuz', content: read('kernelFile', media.kernelFile) },
        { path: 'boot/initrd.img', content: read('initrdFile', media.initrdFile) },
        { path: 'import/system.qcow2', content: read('diskImageFile', media.diskImageFile) },
      ];
    case 'disk-image':
      return [{ path: `import/system.${media.format}`, content: read('file', media.file) }];
    default:
      // Install media are fetched by the image into the host's media cache, or mounted from the host.
      return [];
  }
}

/** Files the media needs, checked at preview so a typo fails before anything is made. */
export function missingMediaFiles(media: WindowsVmInputs['media']): Array<{ field: string; path: string }> {
  if (!media) return [];
  if (media.kind !== 'kernel' && media.kind !== 'disk-image') return [];
  const files =
    media.kind === 'kernel'
      ? [
          { field: 'media.kernelFile', path: media.kernelFile },
          { field: 'media.initrdFile', path: media.initrdFile },
          { field: 'media.diskImageFile', path: media.diskImageFile },
        ]
      : [{ field: 'media.file', path: media.file }];
  return files.filter((file) => !existsSync(file.path));
}
