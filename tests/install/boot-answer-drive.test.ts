// The unattended install up to "boot the installer with these files attached", on the stand-in
// guest (Windows cannot boot here): a VM whose spec installs from a small ISO made in the test
// (the host-file media kind), with a drivers ISO, unattend settings and an admin password
// secret. QMP shows the CD-ROMs and the answer drive; the answer file read with mtools inside
// the container validates and carries the settings; the password is in no inspect output,
// environment or argv; the stand-in boots (by kernel, beside the attached drives) and its
// beacon ends the install phase.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVmContainer } from '../../provider/docker/vm-container';
import type { VmSpec } from '../../contract';
import { validateAnswerFile } from '../../lib/unattend';
import { expectLeastPrivilege, ImageRig, CONSOLE_TOKEN, TestVm } from '../image/harness';
import { uniqueName } from '../rig/docker';
import { standinStorageFiles } from '../rig/standin-guest';
import { makeIso } from './boot-iso';

const PASSWORD = 'Pw-</Value><x>&-9f3a7c1e';
const rig = new ImageRig('install');
let dir: string;
let vm: TestVm;

interface BlockInfo {
  device: string;
  qdev?: string;
  removable: boolean;
  inserted?: { file: string; ro: boolean; drv: string };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wdk-install-'));
  chmodSync(dir, 0o755);
  writeFileSync(
    join(dir, 'win.iso'),
    makeIso('WIN11_TEST', { 'SETUP.EXE': 'not really setup', 'README.TXT': 'windock test media' }),
  );
  writeFileSync(join(dir, 'virtio.iso'), makeIso('VIRTIO_TEST', { 'VIOSTOR.INF': '[Version]' }));

  const name = uniqueName('wdk-install');
  const spec: VmSpec = {
    ...rig.specFor(name, {}),
    install: {
      windows: { version: '11', edition: 'pro' },
      media: { source: { kind: 'host-file', path: '/media/host/win.iso' }, cacheKey: 'windows-11-test' },
      drivers: { source: { kind: 'host-file', path: '/media/host/virtio.iso' }, cacheKey: 'virtio-win-test' },
      fetchedBy: 'provider',
      unattend: {
        adminUser: 'operator',
        adminPasswordSecret: 'admin-password',
        computerName: 'INSTALL-TEST',
        locale: 'en-US',
        keyboard: 'de-DE',
        timeZone: 'W. Europe Standard Time',
        rdp: true,
        firstLogonCommands: ['echo hello from windock'],
      },
    },
  };
  const volumeName = `${name}-storage`;
  rig.onDispose(() => rig.docker.getVolume(volumeName).remove({ force: true }));
  rig.onDispose(() => rig.docker.getContainer(name).remove({ force: true }));
  const placement = {
    ...rig.placement(name, volumeName, {}, spec),
    hostFiles: [
      { source: join(dir, 'win.iso'), target: '/media/host/win.iso' },
      { source: join(dir, 'virtio.iso'), target: '/media/host/virtio.iso' },
    ],
  };
  const secrets = { 'console-token': CONSOLE_TOKEN, 'admin-password': PASSWORD };
  const container = await createVmContainer(rig.docker, {
    spec,
    placement,
    storageFiles: standinStorageFiles(),
  });
  expectLeastPrivilege(await container.inspect(), false, Object.values(secrets));
  vm = new TestVm(rig, container, name, volumeName, spec, placement, secrets);
  await vm.start();
});

afterAll(async () => {
  await rig.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test('the ISO and the drivers ISO are read-only CD-ROMs and the answer drive a USB stick (QMP query-block)', async () => {
  await vm.waitForStatus('QEMU running', (s) => s.qemuPid !== undefined && s.phase !== 'booting', 60_000);
  const qmp = await vm.qmp();
  const blocks = await qmp.execute<BlockInfo[]>('query-block');
  const byQdev = (id: string) => blocks.find((b) => b.qdev?.includes(id));
  expect(byQdev('install-cd')?.inserted).toMatchObject({ file: '/media/host/win.iso', ro: true, drv: 'raw' });
  expect(byQdev('install-cd')?.removable).toBe(true);
  expect(byQdev('drivers-cd')?.inserted).toMatchObject({ file: '/media/host/virtio.iso', ro: true });
  expect(byQdev('answer-drive')?.inserted).toMatchObject({ file: '/storage/install/answer.img', ro: true });
  // The files the VM sees are the test's ISOs.
  const label = await vm.exec(['blkid', '-o', 'value', '-s', 'LABEL', '/media/host/win.iso']);
  expect(label.stdout.trim()).toBe('WIN11_TEST');
});

test('the answer drive holds an autounattend.xml that validates and carries the settings', async () => {
  const listing = await vm.exec(['mdir', '-b', '-i', '/storage/install/answer.img', '::/']);
  expect(listing.stdout).toMatch(/autounattend\.xml/i);
  const read = await vm.exec(['mtype', '-i', '/storage/install/answer.img', '::/autounattend.xml']);
  expect(read.exitCode).toBe(0);
  const xml = read.stdout;
  expect(validateAnswerFile(xml)).toEqual([]);
  expect(xml).toContain('<ComputerName>INSTALL-TEST</ComputerName>');
  expect(xml).toContain('<Name>operator</Name>');
  expect(xml).toContain('<TimeZone>W. Europe Standard Time</TimeZone>');
  expect(xml).toContain('<Value>Windows 11 Pro</Value>');
  // Setup numbers the USB answer stick ahead of the virtio system disk (setupTargetDisk of the argv).
  expect(xml.match(/<DiskID>\d+<\/DiskID>/g)).toEqual(['<DiskID>1</DiskID>', '<DiskID>1</DiskID>']);
  expect(xml).toContain('echo hello from windock');
  expect(xml).toContain('org.windock.beacon');
  // The hostile password is escaped text, exactly the secret file's content.
  expect(xml).toContain('<Value>Pw-&lt;/Value&gt;&lt;x&gt;&amp;-9f3a7c1e</Value>');
  const mode = await vm.exec(['stat', '-c', '%a', '/storage/install/answer.img']);
  expect(mode.stdout.trim()).toBe('600');
});

test('the password is in no docker inspect output, environment or command line', async () => {
  const inspect = JSON.stringify(await vm.inspect());
  expect(inspect).not.toContain(PASSWORD);
  expect(inspect).not.toContain('9f3a7c1e');
  const proc = await vm.exec([
    'sh',
    '-c',
    'for p in /proc/[0-9]*; do cat $p/cmdline $p/environ 2>/dev/null; echo; done | tr "\\0" " "',
  ]);
  expect(proc.stdout).toContain('qemu-system-x86_64');
  expect(proc.stdout).not.toContain('9f3a7c1e');
  // Only the secret file and the answer drive in the VM's own volume hold it.
  const staged = await vm.exec(['sh', '-c', 'ls -a /storage/install']);
  // (media-images.json: the install ISO's image list, read once per medium; no secret in it.)
  expect(staged.stdout.split('\n').filter(Boolean).sort()).toEqual([
    '.',
    '..',
    'answer.img',
    'media-images.json',
  ]);
});

test('the stand-in boots beside the install drives; its beacon finishes the install phase', async () => {
  await vm.waitReady(120_000);
  const status = await vm.waitForStatus('install finished', (s) => s.install?.step === 'finished', 60_000);
  expect(status.phase).toBe('running');
  expect(status.guest.beacon).toBe(true);
  const drive = await vm.exec(['test', '-e', '/storage/install/answer.img']);
  expect(drive.exitCode).not.toBe(0);
  const record = JSON.parse((await vm.exec(['cat', '/storage/windock-volume.json'])).stdout) as {
    install?: { completedAt?: string };
  };
  expect(record.install?.completedAt).toMatch(/^\d{4}-/);
});
