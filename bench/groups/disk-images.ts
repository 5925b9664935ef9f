// Disk images as host artifacts: importing a 4 GiB image (a sparse raw file) into an SSH host's
// image cache against `scp` of the same file to the same host, and what the 2nd to 10th VM from
// one cached image cost (time to its first-start disk, disk it adds) against a full copy each.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { HostPool } from '../../provider/hosts';
import { cachedImagePath, IMAGE_CACHE_MOUNT } from '../../provider/images/cache';
import { importImage } from '../../provider/images/import';
import type { ImageSource } from '../../provider/images/source';
import { mustRun, runHelper } from '../../provider/vm/volume-files';
import { WINDOCK_IMAGE } from '../../tests/rig/docker';
import type { SshTestHost } from '../../tests/rig/ssh-hosts';
import { standinGuestDir } from '../../tests/rig/standin-guest';
import { single, summarize } from '../stats';
import { guarded, type GroupContext } from './context';

const GROUP = 'disk-images';
const GiB = 1024 ** 3;

function sparseRaw(dir: string, bytes: number): string {
  const raw = join(dir, 'image.raw');
  execFileSync('qemu-img', [
    'convert',
    '-f',
    'qcow2',
    '-O',
    'raw',
    join(standinGuestDir(), 'disk.qcow2'),
    raw,
  ]);
  execFileSync('truncate', ['-s', String(bytes), raw]);
  return raw;
}

/** scp of the file to the host's user, through the same sshd (the anchor; -O: the test sshd has no SFTP subsystem). */
function scpSeconds(host: SshTestHost, file: string): number {
  const t0 = Date.now();
  const target = `/tmp/wdkb-scp-${process.pid}.raw`;
  const ssh = [
    '-i',
    host.clientKeyFile,
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'BatchMode=yes',
  ];
  execFileSync('scp', [
    '-q',
    '-O',
    ...ssh,
    '-P',
    String(host.sshPort),
    file,
    `${host.user}@${host.sshHost}:${target}`,
  ]);
  const seconds = (Date.now() - t0) / 1000;
  execFileSync('ssh', [
    ...ssh,
    '-p',
    String(host.sshPort),
    `${host.user}@${host.sshHost}`,
    'rm',
    '-f',
    target,
  ]);
  return seconds;
}

/** A VM's first-start disk from the cached image: its volume and a qcow2 overlay over the image. */
async function overlayVolume(
  docker: Dockerode,
  volume: string,
  cache: string,
  digest: string,
  sizeMiB: number,
): Promise<number> {
  await docker.createVolume({ Name: volume, Labels: { 'io.windock.bench': GROUP } });
  const out = await mustRun(
    runHelper(
      docker,
      WINDOCK_IMAGE,
      [
        { volume, target: '/storage' },
        { volume: cache, target: IMAGE_CACHE_MOUNT, readOnly: true },
      ],
      'mkdir -p /storage/disks && qemu-img create -q -f qcow2 -F qcow2 -b "$1" /storage/disks/system.qcow2 "$2M" && du -sk /storage | cut -f1',
      [cachedImagePath(digest), String(sizeMiB)],
    ),
    'making the overlay',
  );
  return Number(out.trim()) * 1024;
}

export async function runDiskImageGroup(ctx: GroupContext): Promise<void> {
  const rig = await ctx.sshHosts();
  const host = rig.hosts[0]!;
  const pool = new HostPool();
  ctx.onCleanup(() => pool.closeAll());
  const docker = pool.get(host.config);
  const cache = `wdkb-image-cache-${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'wdkb-images-'));
  ctx.onCleanup(async () => rmSync(dir, { recursive: true, force: true }));
  ctx.onCleanup(() => docker.getVolume(cache).remove({ force: true }));
  const bytes = ctx.opts.quick ? GiB : 4 * GiB;
  const raw = sparseRaw(dir, bytes);
  const source: ImageSource = {
    field: 'media.file',
    formatField: 'media.format',
    format: 'raw',
    from: { kind: 'file', path: raw },
  };
  const label = `${(bytes / GiB).toFixed(0)} GiB sparse raw`;
  let digest = '';

  await guarded(ctx, GROUP, `import of a ${label} over SSH`, 'ms', async () => {
    const t0 = Date.now();
    const done = await importImage(
      { docker, hostName: host.name, image: WINDOCK_IMAGE, volume: cache, write: ctx.log },
      source,
      8192,
    );
    const ms = Date.now() - t0;
    digest = done.digest;
    const scp = scpSeconds(host, raw) * 1000;
    ctx.add({
      group: GROUP,
      name: `import of a ${label} over SSH (hash, send, verify, convert)`,
      unit: 'ms',
      ours: single(ms),
      anchor: { label: 'scp of the same file', value: single(scp), kind: 'measured' },
      note:
        `${(statSync(raw).size / 1024 ** 2 / (ms / 1000)).toFixed(0)} MiB/s end to end. windock: local SHA-256, the bytes through the pooled SSH connection into a helper's stdin (dd, sparse), SHA-256 and qemu-img check on the host, raw converted to qcow2. ` +
        'scp: the bytes only, same sshd, no check.',
    });
  });

  await guarded(ctx, GROUP, '2nd-10th VM from one image', 'ms', async () => {
    if (!digest) throw new Error('the import failed');
    const times: number[] = [];
    const disk: number[] = [];
    for (let i = 2; i <= 10; i++) {
      const volume = `wdkb-imgvm-${process.pid}-${i}`;
      ctx.onCleanup(() => docker.getVolume(volume).remove({ force: true }));
      const t0 = Date.now();
      const again = await importImage(
        { docker, hostName: host.name, image: WINDOCK_IMAGE, volume: cache, write: () => undefined },
        { ...source, sha256: digest },
        8192,
      );
      if (!again.cacheHit || again.sentBytes !== 0) throw new Error(`VM ${i}: not a cache hit`);
      disk.push(await overlayVolume(docker, volume, cache, digest, 8192));
      times.push(Date.now() - t0);
    }
    ctx.add({
      group: GROUP,
      name: '2nd-10th VM from one image: cache look-up + overlay',
      unit: 'ms',
      ours: summarize(times),
      note: 'Each: the cache asked (a hit, nothing sent), a volume and a qcow2 overlay over the cached image (the VM container itself is not counted).',
    });
    ctx.add({
      group: GROUP,
      name: '2nd-10th VM from one image: disk each',
      unit: 'bytes',
      ours: summarize(disk),
      anchor: { label: 'a full copy of the image', value: single(bytes), kind: 'measured' },
      note: 'The overlay a VM starts with; the image itself is stored once per host.',
    });
  });
}
