// Shared folders over SMB, end to end on the stand-in guest, on a user-mode NIC: smbd runs in
// the container under CapDrop ALL + no-new-privileges + the two capabilities shares add, and
// the guest mounts the shares with its kernel's SMB client at \\10.0.2.2\NAME (QEMU's
// user-mode network maps it to the container's loopback).
import { chmodSync, chownSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARE_PASSWORD_SECRET } from '../../contract';
import { ImageRig, type TestVm } from '../image/harness';
import { uniqueName } from '../rig/docker';
import {
  guest,
  guestOk,
  mountCmd,
  processCaps,
  SETGID_SETUID,
  smbListeners,
  startSharedVm,
  testHostDir,
  testSharePassword,
} from './rig';

const rig = new ImageRig('shares');
const docker = rig.docker;
const password = testSharePassword();
const content = `windock share ok ${uniqueName('content')}\n`;
const toolContent = 'a tool on a read-only volume\n';
let hostDir: string;
let toolsVolume: string;
let vm: TestVm;

beforeAll(async () => {
  hostDir = testHostDir('shares');
  rig.onDispose(async () => rmSync(hostDir, { recursive: true, force: true }));
  writeFileSync(join(hostDir, 'hello.txt'), content);
  // A user's folder: the guest must act as its owner, not as root.
  chownSync(join(hostDir, 'hello.txt'), 1000, 1000);
  chownSync(hostDir, 1000, 1000);
  chmodSync(hostDir, 0o755);

  toolsVolume = uniqueName('wdk-shares-tools');
  await docker.createVolume({ Name: toolsVolume, Labels: { 'io.windock.test': 'image-shares' } });
  rig.onDispose(() => docker.getVolume(toolsVolume).remove({ force: true }));
  const filled = await rig.onVolume(toolsVolume, [
    'sh',
    '-c',
    `echo '${toolContent.trim()}' >/storage/tool.txt`,
  ]);
  expect(filled.exitCode).toBe(0);

  vm = await startSharedVm(rig, {
    shares: [
      { name: 'Data', hostPath: hostDir },
      { name: 'Tools', volume: toolsVolume, readOnly: true },
    ],
    password,
  });
}, 300_000);
afterAll(() => rig.dispose(), 120_000);

const login = (pass: string) => `username=windock,password=${pass}`;

describe('shares on a user-mode NIC', () => {
  it('the guest mounts a host folder, reads its file exactly and writes as the folder owner', async () => {
    await guestOk(vm, mountCmd('10.0.2.2', 'Data', '/mnt/data', login(password)));
    expect(await guestOk(vm, 'cat /mnt/data/hello.txt')).toBe(content.trim());
    await guestOk(vm, 'echo written-by-guest >/mnt/data/from-guest.txt && sync');
    const written = join(hostDir, 'from-guest.txt');
    expect(readFileSync(written, 'utf8')).toBe('written-by-guest\n');
    expect(statSync(written).uid).toBe(1000); // smbd acted as the folder's owner (CAP_SETUID)
  });

  it('a read-only share (a Docker volume) reads but refuses writes', async () => {
    await guestOk(vm, mountCmd('10.0.2.2', 'Tools', '/mnt/tools', login(password)));
    expect(await guestOk(vm, 'cat /mnt/tools/tool.txt')).toBe(toolContent.trim());
    const write = await guest(vm, 'echo nope >/mnt/tools/new.txt');
    expect(write.exitCode).not.toBe(0);
    const onVolume = await rig.onVolume(toolsVolume, ['ls', '/storage']);
    expect(onVolume.stdout.trim().split('\n')).toEqual(['tool.txt']);
  });

  it('a wrong password, or none, is refused', async () => {
    expect(
      (await guest(vm, mountCmd('10.0.2.2', 'Data', '/mnt/wrong', login(`${password}x`)))).exitCode,
    ).not.toBe(0);
    expect(
      (await guest(vm, mountCmd('10.0.2.2', 'Data', '/mnt/anon', 'username=anyone,password='))).exitCode,
    ).not.toBe(0);
  });

  it('the container adds exactly SETGID and SETUID, and the password is nowhere but its 0400 file', async () => {
    const info = await vm.inspect();
    expect(info.HostConfig.Privileged).toBe(false);
    expect(info.HostConfig.CapDrop).toEqual(['ALL']);
    expect([...(info.HostConfig.CapAdd ?? [])].sort()).toEqual(['SETGID', 'SETUID']);
    expect(info.HostConfig.SecurityOpt).toContain('no-new-privileges:true');
    expect(info.HostConfig.Devices ?? []).toEqual([]);
    expect(JSON.stringify(info)).not.toContain(password);
    expect(await vm.logs()).not.toContain(password);

    const mode = await vm.exec(['stat', '-c', '%a %U', `/run/windock/secrets/${SHARE_PASSWORD_SECRET}`]);
    expect(mode.stdout.trim()).toBe('400 root');
    // No process of the container carries it in its command line or environment.
    const procs = await vm.exec([
      'sh',
      '-c',
      'for p in /proc/[0-9]*; do tr "\\0" " " <$p/cmdline; echo; tr "\\0" " " <$p/environ; echo; done 2>/dev/null',
    ]);
    expect(procs.stdout).toMatch(/smbd/);
    expect(procs.stdout).not.toContain(password);
    const smbd = (await processCaps(vm)).filter((p) => p.name.startsWith('smbd'));
    expect(smbd.length).toBeGreaterThan(0);
    for (const process of smbd) expect(process.capEff).toBe(SETGID_SETUID);
  });

  it('smbd listens on loopback only, never on the container network', async () => {
    const listeners = await smbListeners(vm);
    expect(listeners.length).toBeGreaterThan(0);
    expect(new Set(listeners)).toEqual(new Set(['127.0.0.1']));
  });
});

describe('without shares', () => {
  it('a VM container gets no capability and no share mount', async () => {
    const plain = await rig.createVm(); // also checks least privilege from `docker inspect`
    const info = await plain.inspect();
    expect(info.HostConfig.CapAdd ?? []).toEqual([]);
    expect((info.Mounts ?? []).some((m) => m.Destination.startsWith('/shares'))).toBe(false);
  });
});
