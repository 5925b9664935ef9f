// Issue 15, finding 10: media files on the machine running Pulumi (media.file, kernelFile,
// initrdFile, diskImageFile) are read by the provider and copied into the VM's volume, where
// the guest can read them. A link to a system file or a credential, or the file itself, is
// refused at preview (missingMediaFiles) and never read at create (mediaFiles).
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { windowsVmInputs } from '../../provider/resources/windows-vm/inputs';
import { mediaFiles, missingMediaFiles } from '../../provider/resources/windows-vm/media-files';
import { Results } from '../reliability/results';

const results = new Results();
afterAll(() => results.flush());

const dir = mkdtempSync('/tmp/wdk-media-files-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const diskImage = (file: string) =>
  windowsVmInputs.parse({ name: 'wdk-media', media: { kind: 'disk-image', file, format: 'raw' } }).media!;

describe('media files on the machine running Pulumi', () => {
  it('refuses system files and credentials, directly or behind a link, at preview and at create', () => {
    const row = results.attackRow('host paths: media file of the Pulumi machine');
    const pulumiCredentials = join(homedir(), '.pulumi', 'credentials.json');
    const targets = ['/etc/shadow', '/etc/passwd', '/proc/self/environ', pulumiCredentials];
    for (const [i, target] of targets.entries()) {
      const link = join(dir, `disk-${i}.img`);
      symlinkSync(target, link);
      for (const path of [target, link]) {
        const media = diskImage(path);
        const refused = missingMediaFiles(media);
        const read = (() => {
          try {
            return mediaFiles(media).length > 0;
          } catch {
            return false;
          }
        })();
        row.attack(refused.length === 0 || read);
        expect(refused).toEqual([
          { field: 'media.file', path, reason: expect.stringMatching(/^media\.file: /) },
        ]);
        expect(read).toBe(false);
      }
    }
    row.pass();
  });

  it('accepts a disk image of ones own, also through a link; it goes through the host image cache, not the archive', () => {
    writeFileSync(join(dir, 'own.img'), 'disk');
    symlinkSync(join(dir, 'own.img'), join(dir, 'own-link.img'));
    const media = diskImage(join(dir, 'own-link.img'));
    expect(missingMediaFiles(media)).toEqual([]);
    expect(mediaFiles(media)).toEqual([]);
  });
});
