import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { checkLocalFile } from './local-files';

// Real files and links of this machine (the Pulumi machine's file system is what is checked).
describe('checkLocalFile (media files on the machine running Pulumi)', () => {
  const dir = mkdtempSync('/tmp/wdk-local-files-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'disk.qcow2'), 'image');
  symlinkSync('/etc/passwd', join(dir, 'passwd.qcow2'));

  it('reads a file of ones own, links resolved', () => {
    expect(checkLocalFile(join(dir, 'disk.qcow2'), 'media.file')).toEqual({
      ok: true,
      path: join(dir, 'disk.qcow2'),
    });
  });

  it.each([
    '/etc/shadow',
    '/etc/passwd',
    '/proc/self/environ',
    '/var/lib/docker/x',
    join(homedir(), '.pulumi/credentials.json'),
  ])('refuses %s', (path) => {
    expect(checkLocalFile(path, 'media.file').ok).toBe(false);
  });

  it('refuses a link to a system file, naming the field, the link and its target', () => {
    const verdict = checkLocalFile(join(dir, 'passwd.qcow2'), 'media.diskImageFile');
    expect(verdict).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^media\.diskImageFile: .*passwd\.qcow2 \(resolves to \/etc\/passwd\) is inside the system location \/etc on the machine running Pulumi/,
      ),
    });
  });

  it('refuses a device as a disk image', () => {
    expect(checkLocalFile('/dev/zero', 'media.file')).toMatchObject({ ok: false });
  });
});
