// The supervisor's answer file installs the image its media really holds: a VM container whose
// spec installs Windows 11 Pro from a UDF ISO made in the test with a real WIM (wimlib) whose
// first image is "Windows 11 Pro N" and second "Windows 11 Pro" (EDITIONIDs ProfessionalN,
// Professional). The image's own 7-Zip and wimlib read the list; the answer file on the drive
// installs /IMAGE/INDEX 2. Windows cannot boot here: the stand-in guest boots beside the drives.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVmContainer } from '../../provider/docker/vm-container';
import type { VmSpec } from '../../contract';
import { ImageRig, CONSOLE_TOKEN, TestVm } from '../image/harness';
import { uniqueName } from '../rig/docker';
import { standinStorageFiles } from '../rig/standin-guest';
import { makeWindowsIso } from './media-wim';

const rig = new ImageRig('pbimg');
let dir: string;
let vm: TestVm;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wdk-pbimg-'));
  chmodSync(dir, 0o755);
  makeWindowsIso(join(dir, 'win.iso'), [
    { name: 'Windows 11 Pro N', editionId: 'ProfessionalN', arch: 9 },
    { name: 'Windows 11 Pro', editionId: 'Professional', arch: 9 },
  ]);
  chmodSync(join(dir, 'win.iso'), 0o644);
  const name = uniqueName('wdk-pbimg');
  const spec: VmSpec = {
    ...rig.specFor(name, {}),
    install: {
      windows: { version: '11', edition: 'pro' },
      media: { source: { kind: 'host-file', path: '/media/host/win.iso' }, cacheKey: 'windows-11-pbimg' },
      fetchedBy: 'provider',
      unattend: {
        adminUser: 'operator',
        adminPasswordSecret: 'admin-password',
        computerName: 'PBIMG-TEST',
        locale: 'en-US',
        keyboard: 'en-US',
        timeZone: 'UTC',
        rdp: false,
        firstLogonCommands: [],
      },
    },
  };
  const volumeName = `${name}-storage`;
  rig.onDispose(() => rig.docker.getVolume(volumeName).remove({ force: true }));
  rig.onDispose(() => rig.docker.getContainer(name).remove({ force: true }));
  const placement = {
    ...rig.placement(name, volumeName, {}, spec),
    hostFiles: [{ source: join(dir, 'win.iso'), target: '/media/host/win.iso' }],
  };
  const secrets = { 'console-token': CONSOLE_TOKEN, 'admin-password': 'Pw-pbimg-9f3a7c1e' };
  const container = await createVmContainer(rig.docker, {
    spec,
    placement,
    storageFiles: standinStorageFiles(),
  });
  vm = new TestVm(rig, container, name, volumeName, spec, placement, secrets);
  await vm.start();
});

afterAll(async () => {
  await rig.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test("the answer file installs the media's own index for the edition (read with the image's 7-Zip and wimlib)", async () => {
  // The drive lives until the stand-in's beacon ends the install: read it as soon as it is there.
  let xml = '';
  for (let tries = 0; !xml && tries < 600; tries++) {
    xml = (await vm.exec(['mtype', '-i', '/storage/install/answer.img', '::/autounattend.xml'])).stdout;
    if (!xml) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!xml) throw new Error(`no answer drive was read; log:\n${(await vm.logs()).slice(-3000)}`);
  expect(xml).toMatch(/<Key>\/IMAGE\/INDEX<\/Key>\s*<Value>2<\/Value>/);
  expect(xml).not.toMatch(/\/IMAGE\/NAME/);
});
