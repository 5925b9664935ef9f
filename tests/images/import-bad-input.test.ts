import { truncateSync, writeFileSync, readFileSync, mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importImage, type ImportAccess } from '../../provider/images/import';
import type { ImageSource } from '../../provider/images/source';
import { Cleanup, localDocker, uniqueName, WINDOCK_IMAGE } from '../rig/docker';
import { standinGuestDir } from '../rig/standin-guest';
import { cacheFiles, qemuImg, sha256Of, writePartial } from './cache-rig';

/**
 * Importing disk images into a host's image cache, against the real engine and qemu-img: bad
 * input fails naming the field, and the cache never holds a bad file under a good name.
 */
describe('image cache: import and bad input', () => {
  const docker = localDocker();
  const volume = uniqueName('wdkimg-cache');
  const dir = mkdtempSync(join(tmpdir(), 'wdkimg-'));
  const cleanup = new Cleanup();
  const lines: string[] = [];
  const access: ImportAccess = {
    docker,
    hostName: 'local',
    image: WINDOCK_IMAGE,
    volume,
    write: (l) => lines.push(l),
  };
  const file = (path: string, format: ImageSource['format'] = 'qcow2', sha256?: string): ImageSource => ({
    field: 'media.file',
    formatField: 'media.format',
    format,
    ...(sha256 ? { sha256 } : {}),
    from: { kind: 'file', path },
  });
  const good = join(dir, 'good.qcow2');

  beforeAll(() => {
    cleanup.add(() => docker.getVolume(volume).remove());
    cleanup.add(async () => rmSync(dir, { recursive: true, force: true }));
    copyFileSync(join(standinGuestDir(), 'disk.qcow2'), good);
  });
  afterAll(() => cleanup.run());
  beforeEach(() => (lines.length = 0));

  /** Nothing but complete images under their digest: no partial or temporary file left. */
  const expectCacheClean = async (allowed: string[]) =>
    expect(await cacheFiles(docker, WINDOCK_IMAGE, volume)).toEqual(allowed.sort());

  it('imports a qcow2 once; the second import is a cache hit that sends nothing', async () => {
    const digest = sha256Of(good);
    const first = await importImage(access, file(good), 64);
    expect(first).toMatchObject({ digest, cacheHit: false });
    expect(first.sentBytes).toBe(readFileSync(good).length);
    expect(lines.join('\n')).toMatch(/sending .*good\.qcow2 to host "local": .*\(100%\)/);
    const second = await importImage(access, file(good), 64);
    expect(second).toEqual({ digest, sentBytes: 0, cacheHit: true });
    await expectCacheClean([`sha256/${digest}.qcow2`]);
  });

  it('refuses a text file named .qcow2, naming media.file and media.format', async () => {
    const text = join(dir, 'notes.qcow2');
    writeFileSync(text, 'just some text, not a disk\n'.repeat(100));
    await expect(importImage(access, file(text), 64)).rejects.toThrow(
      /^media\.file: the file is not a disk image format .*set media\.format/,
    );
    await expectCacheClean([`sha256/${sha256Of(good)}.qcow2`]);
  });

  it('refuses a file that is not a whole number of sectors as raw', async () => {
    const text = join(dir, 'notes.img');
    writeFileSync(text, 'text\n');
    await expect(importImage(access, file(text, 'raw'), 64)).rejects.toThrow(
      /^media\.file: 5 bytes is not a whole number of 512-byte sectors/,
    );
    await expectCacheClean([`sha256/${sha256Of(good)}.qcow2`]);
  });

  it('refuses a qcow2 declared raw (format mismatch)', async () => {
    const fresh = join(dir, 'fresh.qcow2');
    qemuImg('create', '-q', '-f', 'qcow2', fresh, '16M');
    await expect(importImage(access, file(fresh, 'raw'), 64)).rejects.toThrow(
      /^media\.file: the file is a qcow2 image, not raw: set media\.format/,
    );
  });

  it('refuses a truncated qcow2', async () => {
    const cut = join(dir, 'cut.qcow2');
    copyFileSync(good, cut);
    truncateSync(cut, Math.floor(readFileSync(good).length / 2));
    await expect(importImage(access, file(cut), 64)).rejects.toThrow(
      /^media\.file: the qcow2 image is damaged or truncated/,
    );
    await expectCacheClean([`sha256/${sha256Of(good)}.qcow2`]);
  });

  it('refuses a qcow2 whose backing file is a host path', async () => {
    const sneaky = join(dir, 'sneaky.qcow2');
    qemuImg('create', '-q', '-f', 'qcow2', '-u', '-F', 'raw', '-b', '/etc/shadow', sneaky, '64M');
    await expect(importImage(access, file(sneaky), 64)).rejects.toThrow(
      /^media\.file: the image names a backing file \(\/etc\/shadow\); refused/,
    );
    await expectCacheClean([`sha256/${sha256Of(good)}.qcow2`]);
  });

  it('refuses a checksum mismatch, naming media.sha256, and caches nothing under either digest', async () => {
    const other = join(dir, 'other.qcow2');
    qemuImg('create', '-q', '-f', 'qcow2', other, '32M');
    const wrong = 'ab'.repeat(32);
    await expect(importImage(access, file(other, 'qcow2', wrong), 64)).rejects.toThrow(
      /^media\.sha256: the image's SHA-256 is [0-9a-f]{64}, not a{1}b/,
    );
    await expectCacheClean([`sha256/${sha256Of(good)}.qcow2`]);
  });

  it('resumes a broken transfer from the partial file and sends only the rest', async () => {
    const raw = join(dir, 'disk.raw');
    qemuImg('convert', '-f', 'qcow2', '-O', 'raw', good, raw);
    const bytes = readFileSync(raw);
    const digest = sha256Of(raw);
    const half = 4 * 1024 ** 2 + 123;
    await writePartial(docker, WINDOCK_IMAGE, volume, `partial/${digest}.raw`, bytes.subarray(0, half));
    const done = await importImage(access, file(raw, 'raw'), 64);
    expect(done).toEqual({ digest, sentBytes: bytes.length - half, cacheHit: false });
    expect(lines.join('\n')).toContain('resuming');
    // raw is converted to qcow2 in the cache, under the digest of the raw bytes the user named.
    await expectCacheClean([`sha256/${sha256Of(good)}.qcow2`, `sha256/${digest}.qcow2`]);
  });

  it('drops a partial file that does not match (corrupt in transit) and says to run again', async () => {
    const raw2 = join(dir, 'disk2.raw');
    qemuImg('create', '-q', '-f', 'raw', raw2, '8M');
    writeFileSync(raw2, Buffer.alloc(4096, 7), { flag: 'r+' });
    const digest = sha256Of(raw2);
    await writePartial(docker, WINDOCK_IMAGE, volume, `partial/${digest}.raw`, Buffer.alloc(8192, 9));
    await expect(importImage(access, file(raw2, 'raw'), 64)).rejects.toThrow(
      /^media\.file: the image's SHA-256 is .*changed in transit or on disk; run again/,
    );
    const again = await importImage(access, file(raw2, 'raw'), 64);
    expect(again).toMatchObject({ digest, cacheHit: false });
  });

  it('converts a vhdx to qcow2 in the cache, under the digest of the vhdx bytes', async () => {
    const vhdx = join(dir, 'disk.vhdx');
    qemuImg('convert', '-f', 'qcow2', '-O', 'vhdx', good, vhdx);
    const done = await importImage(access, file(vhdx, 'vhdx'), 64);
    expect(done).toMatchObject({ digest: sha256Of(vhdx), cacheHit: false });
    expect((await cacheFiles(docker, WINDOCK_IMAGE, volume)).filter((f) => !f.startsWith('sha256/'))).toEqual(
      [],
    );
  });

  it('refuses an image larger than systemDiskSize, naming it, and keeps the good image cached', async () => {
    await expect(importImage(access, file(good), 32)).rejects.toThrow(
      /^systemDiskSize: 32 MiB is smaller than the image's virtual size \(64 MiB, media\.file\)/,
    );
  });
});

/** media.hostPath: the host reads its own file into the cache (the local engine's host is this machine). */
describe('image cache: import from a host path', () => {
  const docker = localDocker();
  const volume = uniqueName('wdkimg-host');
  const dir = mkdtempSync(join(tmpdir(), 'wdkimg-host-'));
  afterAll(async () => {
    await docker
      .getVolume(volume)
      .remove()
      .catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies the file on the host, sends nothing over the connection, and hits the cache next time', async () => {
    const path = join(dir, 'golden.qcow2');
    qemuImg('create', '-q', '-f', 'qcow2', path, '48M');
    const source: ImageSource = {
      field: 'media.hostPath',
      formatField: 'media.format',
      format: 'qcow2',
      from: { kind: 'host', path },
    };
    const access: ImportAccess = {
      docker,
      hostName: 'local',
      image: WINDOCK_IMAGE,
      volume,
      write: () => undefined,
    };
    const digest = sha256Of(path);
    expect(await importImage(access, source, 64)).toEqual({ digest, sentBytes: 0, cacheHit: false });
    expect(await importImage(access, source, 64)).toEqual({ digest, sentBytes: 0, cacheHit: true });
    expect(await cacheFiles(docker, WINDOCK_IMAGE, volume)).toEqual([`sha256/${digest}.qcow2`]);
  });
});
