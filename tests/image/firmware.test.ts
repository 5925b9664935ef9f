// Firmware: the stand-in guest boots under SeaBIOS, OVMF, and OVMF with Secure Boot (SMM,
// Microsoft keys) plus a TPM 2.0 from swtpm; the UEFI variables live in the volume as qcow2.
import { ImageRig, type TestVm } from './harness';

const rig = new ImageRig('fw');
afterAll(() => rig.dispose());

async function guestSays(vm: TestVm, script: string): Promise<string> {
  const agent = await vm.agent();
  const { stdout } = await vm.guestRun(agent, '/bin/sh', ['-c', script]);
  return stdout.trim();
}

async function varsFormat(vm: TestVm): Promise<string> {
  const info = await vm.exec(['qemu-img', 'info', '-U', '--output=json', '/storage/firmware/vars.qcow2']);
  expect(info.exitCode).toBe(0);
  return (JSON.parse(info.stdout) as { format: string }).format;
}

describe('firmware', () => {
  it('bios: boots to the ready marker without UEFI or a VARS file', async () => {
    const vm = await rig.createVm({ spec: { firmware: { type: 'bios', tpm: false } } });
    await vm.start();
    expect(await vm.waitReady(120_000)).toBe(1);
    await vm.waitForStatus('the guest agent', (s) => s.guest.agent, 60_000);
    expect(await guestSays(vm, '[ -d /sys/firmware/efi ] && echo efi || echo legacy')).toBe('legacy');
    expect((await vm.exec(['test', '-e', '/storage/firmware/vars.qcow2'])).exitCode).not.toBe(0);
    await vm.container.stop();
    expect(await vm.waitExit(30_000)).toBe(0);
  });

  it('uefi: boots under OVMF, with the variables stored as qcow2 in the volume', async () => {
    const vm = await rig.createVm({ spec: { firmware: { type: 'uefi', tpm: false } } });
    await vm.start();
    expect(await vm.waitReady(200_000)).toBe(1);
    expect(await varsFormat(vm)).toBe('qcow2');
    await vm.waitForStatus('the guest agent', (s) => s.guest.agent, 60_000);
    expect(await guestSays(vm, '[ -d /sys/firmware/efi ] && echo efi || echo legacy')).toBe('efi');
    await vm.container.stop();
    expect(await vm.waitExit(60_000)).toBe(0);
  });

  it('uefi-secure + tpm: Secure Boot firmware, swtpm running, the guest sees a TPM 2.0', async () => {
    const vm = await rig.createVm({ spec: { firmware: { type: 'uefi-secure', tpm: true } } });
    await vm.start();
    expect(await vm.waitReady(240_000)).toBe(1);
    expect(await varsFormat(vm)).toBe('qcow2');

    // swtpm runs beside QEMU, with its state in the volume.
    const comms = await vm.exec(['sh', '-c', 'cat /proc/[0-9]*/comm']);
    expect(comms.stdout.split('\n')).toEqual(expect.arrayContaining(['swtpm']));
    expect((await vm.exec(['sh', '-c', 'ls /storage/tpm'])).stdout).toMatch(/tpm2/);

    const qmp = await vm.qmp();
    const tpms = await qmp.execute<Array<{ model: string; options: { type: string } }>>('query-tpm');
    expect(tpms).toEqual([
      expect.objectContaining({ model: 'tpm-crb', options: expect.objectContaining({ type: 'emulator' }) }),
    ]);

    await vm.waitForStatus('the guest agent', (s) => s.guest.agent, 60_000);
    expect(await guestSays(vm, 'cat /sys/class/tpm/tpm0/tpm_version_major')).toBe('2');
    // The guest kernel reports the firmware's Secure Boot state.
    expect(await guestSays(vm, 'dmesg | grep -i "secure boot"')).toMatch(/secure boot enabled/i);
    const varsInode = async () =>
      (await vm.exec(['stat', '-c', '%i', '/storage/firmware/vars.qcow2'])).stdout.trim();
    const inode = await varsInode();

    await vm.container.stop();
    expect(await vm.waitExit(60_000)).toBe(0);

    // The same container started again: the VARS file in the volume is reused (not made anew),
    // swtpm starts on its saved state, and the guest boots with its TPM again.
    await vm.start();
    expect(await vm.waitReady(240_000, 2)).toBe(2);
    await vm.waitForStatus('the guest agent', (s) => s.guest.agent, 60_000);
    expect(await guestSays(vm, 'cat /sys/class/tpm/tpm0/tpm_version_major')).toBe('2');
    expect(await vm.logs()).not.toMatch(/FAILED/);
    expect(await varsInode()).toBe(inode);
    await vm.container.stop();
    expect(await vm.waitExit(60_000)).toBe(0);
  });
});
