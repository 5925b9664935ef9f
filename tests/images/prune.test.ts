import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DISK_IMAGE_LABEL } from '../../provider/images/cache';
import { importImage, type ImportAccess } from '../../provider/images/import';
import { pruneImageCache } from '../../provider/images/prune';
import type { ImageSource } from '../../provider/images/source';
import { Cleanup, localDocker, uniqueName, WINDOCK_IMAGE } from '../rig/docker';
import { cacheFiles, qemuImg, writePartial } from './cache-rig';

/** A prune removes cached images no VM container uses (and partial transfers), never one in use. */
describe('image cache: prune', () => {
  const docker = localDocker();
  const volume = uniqueName('wdkimg-prune');
  const dir = mkdtempSync(join(tmpdir(), 'wdkimg-prune-'));
  const cleanup = new Cleanup();
  const access: ImportAccess = {
    docker,
    hostName: 'local',
    image: WINDOCK_IMAGE,
    volume,
    write: () => undefined,
  };
  const qcow2 = (name: string, size: string): ImageSource => {
    const path = join(dir, name);
    qemuImg('create', '-q', '-f', 'qcow2', path, size);
    return {
      field: 'media.file',
      formatField: 'media.format',
      format: 'qcow2',
      from: { kind: 'file', path },
    };
  };

  afterAll(async () => {
    await cleanup.run();
    await docker
      .getVolume(volume)
      .remove()
      .catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the image a VM container uses and removes the others', async () => {
    const used = await importImage(access, qcow2('used.qcow2', '16M'), 64);
    const unused = await importImage(access, qcow2('unused.qcow2', '24M'), 64);
    await writePartial(docker, WINDOCK_IMAGE, volume, `partial/${'cd'.repeat(32)}.raw`, Buffer.alloc(512));
    // A stopped VM container over the first image (created, never started).
    const vm = await docker.createContainer({
      name: uniqueName('wdkimg-vm'),
      Image: WINDOCK_IMAGE,
      Entrypoint: ['true'],
      Labels: { [DISK_IMAGE_LABEL]: used.digest },
    });
    cleanup.add(() => vm.remove({ force: true }));
    const pruned = await pruneImageCache(docker, WINDOCK_IMAGE, volume);
    expect(pruned.removed).toEqual([unused.digest]);
    expect(pruned.kept).toEqual([used.digest]);
    expect(await cacheFiles(docker, WINDOCK_IMAGE, volume)).toEqual([`sha256/${used.digest}.qcow2`]);
  });
});
