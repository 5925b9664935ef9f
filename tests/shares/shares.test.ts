// Shared folders over SMB, end to end on the stand-in guest: the container is made the way
// the provider makes it (WindowsVm inputs -> spec + placement -> createVmContainer), smbd runs
// in it under CapDrop ALL + no-new-privileges + the two capabilities shares add, and the guest
// mounts the shares with its kernel's SMB client through QEMU's user-mode network
// (\\10.0.2.2\NAME is the container's loopback).
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { SHARE_PASSWORD_SECRET } from '../../provider/spec';
import { createVmContainer } from '../../provider/docker/vm-container';
import { windowsVmInputs } from '../../provider/resources/windows-vm/inputs';
import { shareMounts, sharesToSpec } from '../../provider/resources/windows-vm/share-inputs';
import { newSharePassword } from '../../provider/resources/windows-vm/launch';
import { CONSOLE_TOKEN, ImageRig, TestVm } from '../image/harness';
import { uniqueName } from '../rig/docker';
import { guestShell } from '../rig/guest-shell';
import { standinStorageFiles } from '../rig/standin-guest';

const rig = new ImageRig('shares');
const docker = rig.docker;
const password = newSharePassword();
const content = `windock share ok ${uniqueName('content')}\n`;
const toolContent = 'a tool on a read-only volume\n';
let hostDir: string;
let toolsVolume: string;
let vm: TestVm;

/** The inputs a user would write; the spec's shares and the container's mounts come from them. */
function sharedVm(name: string) {
  return windowsVmInputs.parse({
    name,
    media: { kind: 'disk-image', file: '/unused.qcow2', format: 'qcow2' },
    shares: [
      { name: 'Data', hostPath: hostDir },
      { name: 'Tools', volume: toolsVolume, readOnly: true },
    ],
  });
}

async function makeVm(): Promise<TestVm> {
  const name = uniqueName('wdk-shares');
  const inputs = sharedVm(name);
  const spec = rig.specFor(name, { spec: { shares: sharesToSpec(inputs) } });
  const placement = { ...rig.placement(name, `${name}-storage`, {}, spec), shareMounts: shareMounts(inputs) };
  rig.onDispose(() => docker.getVolume(placement.volumeName).remove({ force: true }));
  rig.onDispose(() => docker.getContainer(name).remove({ force: true }));
  const container = await createVmContainer(docker, {
    spec,
    placement,
    secrets: { 'console-token': CONSOLE_TOKEN, [SHARE_PASSWORD_SECRET]: password },
    storageFiles: standinStorageFiles(),
  });
  return new TestVm(rig, container, name, placement.volumeName, spec, placement);
}

beforeAll(async () => {
  hostDir = mkdtempSync(join(tmpdir(), 'wdk-shares-'));
  rig.onDispose(async () => rmSync(hostDir, { recursive: true, force: true }));
  writeFileSync(join(hostDir, 'hello.txt'), content);
  // A user's folder: the guest must act as its owner, not as root.
  chownSync(join(hostDir, 'hello.txt'), 1000, 1000);
  chownSync(hostDir, 1000, 1000);
  chmodSync(hostDir, 0o755);

  toolsVolume = uniqueName('wdk-shares-tools');
  await docker.createVolume({ Name: toolsVolume, Labels: { 'io.windock.test': 'image-shares' } });
  rig.onDispose(() => docker.getVolume(toolsVolume).remove({ force: true }));
  const filled = await rig.onVolume(toolsVolume, ['sh', '-c', `printf '${toolContent.trim()}\\n' >/storage/tool.txt`]);
  expect(filled.exitCode).toBe(0);

  vm = await makeVm();
  await vm.start();
  await vm.waitReady(180_000);
  // The guest's DHCP runs in the background: the ready marker can come before its address.
  await guestOk('i=0; while [ ! -s /run/ip ] && [ $i -lt 100 ]; do sleep 0.2; i=$((i+1)); done; cat /run/ip');
}, 300_000);
afterAll(() => rig.dispose(), 120_000);

const guest = (command: string) => guestShell(docker, vm.name, command, 60_000);
/** Runs a guest command that must succeed; a failure shows its stderr and the kernel's last words. */
async function guestOk(command: string): Promise<string> {
  const result = await guest(command);
  if (result.exitCode !== 0) {
    const dmesg = await guest('dmesg | tail -8; ls /sys/class/net /run; cat /run/udhcpc-*.log; ip addr');
    throw new Error(`guest: "${command}" failed (${result.exitCode}): ${result.stderr}\ndmesg:\n${dmesg.stdout}`);
  }
  return result.stdout;
}
const mountCmd = (share: string, at: string, pass: string) =>
  `mkdir -p ${at} && mount -t cifs //10.0.2.2/${share} ${at} -o username=windock,password=${pass},vers=3.0`;

describe('shares on the stand-in guest', () => {
  it('the guest mounts a host folder and reads its file exactly, as the folder owner', async () => {
    await guestOk(mountCmd('Data', '/mnt/data', password));
    expect(await guestOk('cat /mnt/data/hello.txt')).toBe(content.trim());
    await guestOk('echo written-by-guest >/mnt/data/from-guest.txt && sync');
    const written = join(hostDir, 'from-guest.txt');
    expect(readFileSync(written, 'utf8')).toBe('written-by-guest\n');
    expect(statSync(written).uid).toBe(1000); // smbd acted as the folder's owner (CAP_SETUID)
  });

  it('a read-only share (a Docker volume) reads but refuses writes', async () => {
    await guestOk(mountCmd('Tools', '/mnt/tools', password));
    expect(await guestOk('cat /mnt/tools/tool.txt')).toBe(toolContent.trim());
    const write = await guest('echo nope >/mnt/tools/new.txt');
    expect(write.exitCode).not.toBe(0);
    const onVolume = await rig.onVolume(toolsVolume, ['ls', '/storage']);
    expect(onVolume.stdout.trim().split('\n')).toEqual(['tool.txt']);
  });

  it('a wrong password, or none, is refused', async () => {
    const wrong = await guest(mountCmd('Data', '/mnt/wrong', `${password}x`));
    expect(wrong.exitCode).not.toBe(0);
    const anonymous = await guest(
      'mkdir -p /mnt/anon && mount -t cifs //10.0.2.2/Data /mnt/anon -o guest,vers=3.0',
    );
    expect(anonymous.exitCode).not.toBe(0);
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

    const mode = await vm.exec(['stat', '-c', '%a %U', `/etc/windock/secrets/${SHARE_PASSWORD_SECRET}`]);
    expect(mode.stdout.trim()).toBe('400 root');
    // No process of the container carries it in its command line or environment.
    const procs = await vm.exec([
      'sh',
      '-c',
      'for p in /proc/[0-9]*; do tr "\\0" " " <$p/cmdline; echo; tr "\\0" " " <$p/environ; echo; done 2>/dev/null',
    ]);
    expect(procs.stdout).toMatch(/smbd/);
    expect(procs.stdout).not.toContain(password);
  });

  it('smbd listens on loopback only, never on the container network', async () => {
    const listening = await vm.exec(['sh', '-c', 'cat /proc/net/tcp /proc/net/tcp6']);
    // Local address column, port 445 = 0x01BD.
    const locals = listening.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[1] ?? '')
      .filter((address) => address.endsWith(':01BD'));
    expect(locals.length).toBeGreaterThan(0);
    expect(locals.every((a) => a === '0100007F:01BD')).toBe(true);
  });
});

describe('without shares', () => {
  it('a VM container gets no capability at all', async () => {
    const plain = await rig.createVm(); // checks CapAdd [] and no /shares mount from `docker inspect`
    const info: Dockerode.ContainerInspectInfo = await plain.inspect();
    expect(info.HostConfig.CapAdd ?? []).toEqual([]);
    expect((info.Mounts ?? []).some((m) => m.Destination.startsWith('/shares'))).toBe(false);
  });
});
