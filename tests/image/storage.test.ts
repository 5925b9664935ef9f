// Storage: the volume is the VM. Imports of raw and vhdx media boot; disks grow when the spec
// asks for more and never shrink (a warning in the status instead); a volume that belongs to
// another VM is refused (exit 66) without touching a byte; extra blank disks are created.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DiskSpec } from '../../contract';
import { standinGuestDir } from '../rig/standin-guest';
import { ImageRig, type TestVm } from './harness';

const rig = new ImageRig('st');
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'windock-image-storage-'));
  const fixture = join(standinGuestDir(), 'disk.qcow2');
  execFileSync('qemu-img', ['convert', '-f', 'qcow2', '-O', 'raw', fixture, join(work, 'system.raw')]);
  execFileSync('qemu-img', ['convert', '-f', 'qcow2', '-O', 'vhdx', fixture, join(work, 'system.vhdx')]);
});
afterAll(async () => {
  await rig.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

const MiB = 1024 * 1024;

function systemDisk(overrides: Partial<DiskSpec> = {}): DiskSpec {
  return {
    name: 'system',
    sizeMiB: 64,
    format: 'qcow2',
    source: { kind: 'import', path: '/storage/import/system.qcow2', format: 'qcow2' },
    readOnly: false,
    ...overrides,
  };
}

function bootFiles() {
  const dir = standinGuestDir();
  return [
    { path: 'boot/vmlinuz', content: readFileSync(join(dir, 'vmlinuz')) },
    { path: 'boot/initrd.img', content: readFileSync(join(dir, 'initrd.img')) },
  ];
}

async function imageInfo(vm: TestVm, path: string): Promise<{ format: string; virtualSize: number }> {
  const result = await vm.exec(['qemu-img', 'info', '-U', '--output=json', path]);
  expect(result.exitCode).toBe(0);
  const info = JSON.parse(result.stdout) as { format: string; 'virtual-size': number };
  return { format: info.format, virtualSize: info['virtual-size'] };
}

async function volumeInfo(
  volumeName: string,
  path: string,
): Promise<{ format: string; virtualSize: number }> {
  const result = await rig.onVolume(volumeName, ['qemu-img', 'info', '--output=json', path]);
  expect(result.exitCode).toBe(0);
  const info = JSON.parse(result.stdout) as { format: string; 'virtual-size': number };
  return { format: info.format, virtualSize: info['virtual-size'] };
}

/** Every file of the volume with its size, mode, mtime and checksum: "nothing touched" is this equal. */
async function volumeFingerprint(volumeName: string): Promise<string> {
  const result = await rig.onVolume(volumeName, [
    'sh',
    '-c',
    'cd /storage && find . -printf "%p %y %s %m %T@\\n" | sort && find . -type f -exec sha256sum {} + | sort',
  ]);
  expect(result.exitCode).toBe(0);
  return result.stdout;
}

/** The guest's view of a disk's size, in bytes (through the guest agent). */
async function guestDiskBytes(vm: TestVm, device: string): Promise<number> {
  await vm.waitForStatus('the guest agent', (s) => s.guest.agent, 60_000);
  const { stdout } = await vm.guestRun(await vm.agent(), '/bin/cat', [`/sys/block/${device}/size`]);
  return Number(stdout.trim()) * 512;
}

async function stopCleanly(vm: TestVm): Promise<void> {
  await vm.container.stop();
  expect(await vm.waitExit(60_000)).toBe(0);
}

describe('storage', () => {
  it('imports a raw disk into qcow2 and boots it', async () => {
    const vm = await rig.createVm({
      spec: {
        disks: [
          systemDisk({ source: { kind: 'import', path: '/storage/import/system.raw', format: 'raw' } }),
        ],
      },
      storageFiles: [
        ...bootFiles(),
        { path: 'import/system.raw', content: readFileSync(join(work, 'system.raw')) },
      ],
    });
    await vm.start();
    expect(await vm.waitReady()).toBe(1);
    expect(await imageInfo(vm, '/storage/disks/system.qcow2')).toEqual({
      format: 'qcow2',
      virtualSize: 64 * MiB,
    });
    const record = JSON.parse((await vm.exec(['cat', '/storage/windock-volume.json'])).stdout) as Record<
      string,
      unknown
    >;
    expect(record).toMatchObject({
      vmUuid: vm.spec.identity.uuid,
      systemDiskOrigin: 'import:/storage/import/system.raw',
    });
    await stopCleanly(vm);
  });

  it('imports a vhdx disk into a raw disk and boots it', async () => {
    const vm = await rig.createVm({
      spec: {
        disks: [
          systemDisk({
            format: 'raw',
            source: { kind: 'import', path: '/storage/import/system.vhdx', format: 'vhdx' },
          }),
        ],
      },
      storageFiles: [
        ...bootFiles(),
        { path: 'import/system.vhdx', content: readFileSync(join(work, 'system.vhdx')) },
      ],
    });
    await vm.start();
    expect(await vm.waitReady()).toBe(1);
    expect(await imageInfo(vm, '/storage/disks/system.img')).toEqual({
      format: 'raw',
      virtualSize: 64 * MiB,
    });
    await stopCleanly(vm);
  });

  it('creates extra blank disks (qcow2 and raw) that the guest sees', async () => {
    const vm = await rig.createVm({
      spec: {
        disks: [
          systemDisk(),
          { name: 'data', sizeMiB: 100, format: 'qcow2', source: { kind: 'blank' }, readOnly: false },
          { name: 'scratch', sizeMiB: 70, format: 'raw', source: { kind: 'blank' }, readOnly: false },
        ],
      },
    });
    await vm.start();
    expect(await vm.waitReady()).toBe(1);
    expect(await imageInfo(vm, '/storage/disks/data.qcow2')).toEqual({
      format: 'qcow2',
      virtualSize: 100 * MiB,
    });
    expect(await imageInfo(vm, '/storage/disks/scratch.img')).toEqual({
      format: 'raw',
      virtualSize: 70 * MiB,
    });
    expect(await guestDiskBytes(vm, 'vdb')).toBe(100 * MiB);
    expect(await guestDiskBytes(vm, 'vdc')).toBe(70 * MiB);
    await stopCleanly(vm);
  });

  it('grows a disk on restart when the spec asks for more, and never shrinks one', async () => {
    const first = await rig.createVm({ spec: { disks: [systemDisk({ sizeMiB: 64 })] } });
    await first.start();
    expect(await first.waitReady()).toBe(1);
    await stopCleanly(first);
    const volumeName = first.volumeName;

    // A new container on the same volume asks for 128 MiB: grown before QEMU starts.
    const grown = await rig.createVmWithSpec(
      first.name + '-b',
      { ...first.spec, disks: [systemDisk({ sizeMiB: 128 })] },
      { volumeName },
    );
    await grown.start();
    expect(await grown.waitReady()).toBe(2); // the same disk: its boot counter goes on
    expect(await imageInfo(grown, '/storage/disks/system.qcow2')).toEqual({
      format: 'qcow2',
      virtualSize: 128 * MiB,
    });
    expect(await guestDiskBytes(grown, 'vda')).toBe(128 * MiB);
    expect((await grown.status())?.warnings).toEqual([]);
    await stopCleanly(grown);

    // Asking for less keeps the disk as it is, with a warning in the status.
    const smaller = await rig.createVmWithSpec(
      first.name + '-c',
      { ...first.spec, disks: [systemDisk({ sizeMiB: 96 })] },
      { volumeName },
    );
    await smaller.start();
    expect(await smaller.waitReady()).toBe(3);
    expect(await imageInfo(smaller, '/storage/disks/system.qcow2')).toEqual({
      format: 'qcow2',
      virtualSize: 128 * MiB,
    });
    const status = await smaller.status();
    expect(status?.warnings).toEqual([
      expect.stringMatching(/disk "system" is 128 MiB, more than the 96 MiB asked for: disks never shrink/),
    ]);
    expect(await smaller.logs()).toMatch(/WARNING: disk "system" is 128 MiB/);
    await stopCleanly(smaller);
    expect((await volumeInfo(volumeName, '/storage/disks/system.qcow2')).virtualSize).toBe(128 * MiB);
  });

  it('refuses a volume that belongs to another VM (exit 66) and touches nothing', async () => {
    const owner = await rig.createVm();
    await owner.start();
    expect(await owner.waitReady()).toBe(1);
    await stopCleanly(owner);
    // As a volume made by another image version might be: no logs/ folder (it must not appear).
    expect((await rig.onVolume(owner.volumeName, ['rmdir', '/storage/logs'])).exitCode).toBe(0);
    const before = await volumeFingerprint(owner.volumeName);
    expect(before).toMatch(/\.\/disks\/system\.qcow2/);

    const intruder = await rig.createVmWithSpec(
      owner.name + '-other',
      {
        ...owner.spec,
        name: 'another-vm',
        identity: { uuid: '0b3f5c1e-8d2a-4f6b-9c7d-1e2f3a4b5c6d', serial: 'WINDOCK-OTHER' },
      },
      { volumeName: owner.volumeName },
    );
    await intruder.start();
    expect(await intruder.waitExit(60_000)).toBe(66);
    const log = await intruder.logs();
    expect(log).toContain(`this volume belongs to VM "${owner.spec.name}" (${owner.spec.identity.uuid})`);
    expect(log).toContain('refusing to touch it');
    expect(log).not.toMatch(/starting qemu/i);
    expect(await volumeFingerprint(owner.volumeName)).toBe(before);
  });
});
