// Bring your own answer file (unattend.file), up to "boot the installer with it attached", on the
// stand-in guest (Windows cannot boot here): dockur/windows's Windows 11 answer file with a
// password of the test's own and windock's beacon command, read from disk by the provider's
// code (ownAnswerFileSecret), handed over as a secret after start, and written by the image onto
// the answer drive byte for byte. The password is in no docker inspect output, spec, log,
// environment or argv; the stand-in's beacon ends the install phase.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVmContainer } from '../../provider/docker/vm-container';
import { ANSWER_FILE_SECRET, ownAnswerFileSecret } from '../../provider/resources/windows-vm/own-answer-file';
import type { VmSpec } from '../../contract';
import { expectLeastPrivilege, ImageRig, CONSOLE_TOKEN, TestVm } from '../image/harness';
import { uniqueName } from '../rig/docker';
import { standinStorageFiles } from '../rig/standin-guest';
import { makeIso } from './boot-iso';

const PASSWORD = 'Byo-Pw-&lt;x&gt;-4be81d07';
const MARK = '4be81d07';
const rig = new ImageRig('own-answer');
let dir: string;
let file: Buffer;
let vm: TestVm;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wdk-own-answer-'));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'win.iso'), makeIso('WIN11_TEST', { 'SETUP.EXE': 'not really setup' }));
  const dockur = readFileSync(join(__dirname, '../fixtures/answer-files/dockur/win11x64.xml'), 'utf8');
  const xml = dockur
    .replace(
      '<LocalAccounts>',
      `<AdministratorPassword><Value>${PASSWORD}</Value><PlainText>true</PlainText></AdministratorPassword><LocalAccounts>`,
    )
    .replace(
      '</FirstLogonCommands>',
      '<SynchronousCommand wcm:action="add"><Order>99</Order><CommandLine>cmd /c "echo WINDOCK-READY&gt;\\\\.\\Global\\org.windock.beacon"</CommandLine></SynchronousCommand></FirstLogonCommands>',
    );
  writeFileSync(join(dir, 'autounattend.xml'), xml);
  file = readFileSync(join(dir, 'autounattend.xml'));

  const name = uniqueName('wdk-own-answer');
  const spec: VmSpec = {
    ...rig.specFor(name, {}),
    install: {
      windows: { version: '11', edition: 'pro' },
      media: { source: { kind: 'host-file', path: '/media/host/win.iso' }, cacheKey: 'windows-11-test' },
      fetchedBy: 'provider',
      answerFile: { secret: ANSWER_FILE_SECRET },
    },
  };
  expect(JSON.stringify(spec)).not.toContain(MARK);
  const volumeName = `${name}-storage`;
  rig.onDispose(() => rig.docker.getVolume(volumeName).remove({ force: true }));
  rig.onDispose(() => rig.docker.getContainer(name).remove({ force: true }));
  const placement = {
    ...rig.placement(name, volumeName, {}, spec),
    hostFiles: [{ source: join(dir, 'win.iso'), target: '/media/host/win.iso' }],
  };
  const secrets = {
    'console-token': CONSOLE_TOKEN,
    ...ownAnswerFileSecret(join(dir, 'autounattend.xml')),
  };
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

test("the answer drive holds the user's file byte for byte, as a read-only USB stick", async () => {
  await vm.waitForStatus('QEMU running', (s) => s.qemuPid !== undefined && s.phase !== 'booting', 60_000);
  const qmp = await vm.qmp();
  const blocks =
    await qmp.execute<Array<{ qdev?: string; inserted?: { file: string; ro: boolean } }>>('query-block');
  expect(blocks.find((b) => b.qdev?.includes('answer-drive'))?.inserted).toMatchObject({
    file: '/storage/install/answer.img',
    ro: true,
  });
  const read = await vm.exec([
    'sh',
    '-c',
    'mtype -i /storage/install/answer.img ::/autounattend.xml | base64 -w0',
  ]);
  expect(read.exitCode).toBe(0);
  expect(Buffer.from(read.stdout.trim(), 'base64')).toEqual(file);
  const mode = await vm.exec(['stat', '-c', '%a', '/storage/install/answer.img']);
  expect(mode.stdout.trim()).toBe('600');
});

test('the file (and its password) is in no docker inspect output, log, environment or command line', async () => {
  const inspect = JSON.stringify(await vm.inspect());
  expect(inspect).not.toContain(MARK);
  expect(inspect).not.toContain(file.toString('base64').slice(0, 40));
  expect(await vm.logs()).not.toContain(MARK);
  const proc = await vm.exec([
    'sh',
    '-c',
    'for p in /proc/[0-9]*; do cat $p/cmdline $p/environ 2>/dev/null; echo; done | tr "\\0" " "',
  ]);
  expect(proc.stdout).toContain('qemu-system-x86_64');
  expect(proc.stdout).not.toContain(MARK);
  const spec = await vm.exec(['sh', '-c', 'cat /etc/windock/spec.json /storage/*.json 2>/dev/null']);
  expect(spec.stdout).not.toContain(MARK);
  const staged = await vm.exec(['sh', '-c', 'ls -a /storage/install']);
  expect(staged.stdout.split('\n').filter(Boolean).sort()).toEqual(['.', '..', 'answer.img']);
});

test('the stand-in boots beside it; its beacon ends the install phase and the drive goes', async () => {
  await vm.waitReady(120_000);
  const status = await vm.waitForStatus('install finished', (s) => s.install?.step === 'finished', 60_000);
  expect(status.guest.beacon).toBe(true);
  const drive = await vm.exec(['test', '-e', '/storage/install/answer.img']);
  expect(drive.exitCode).not.toBe(0);
});
