import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importForVm } from './for-vm';

describe('importForVm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wdkimg-forvm-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const access = (file: string, firstStart = true) => ({
    // Refused before any engine call: no engine is given.
    docker: undefined as never,
    hostName: 'h',
    image: 'i',
    vmName: 'vm',
    media: { kind: 'disk-image' as const, file, format: 'raw' as const },
    systemDiskMiB: 64,
    firstStart,
    clone: false,
    known: undefined,
  });

  it('checks the local file again at create: a link swapped to /etc/shadow after preview is refused', async () => {
    const link = join(dir, 'golden.img');
    symlinkSync('/etc/shadow', link);
    await expect(importForVm(access(link))).rejects.toThrow(/^media\.file: .*system location \/etc/);
  });

  it('needs no file on a later start (the volume holds the disk)', async () => {
    await expect(importForVm(access('/nonexistent.img', false))).resolves.toBeUndefined();
  });
});
