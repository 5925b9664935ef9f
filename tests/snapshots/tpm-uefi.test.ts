import { restoreSnapshot, takeSnapshot } from '../../provider/vm/snapshots';
import { Cleanup, localDocker } from '../rig/docker';
import { guestSh, startStandinVm } from './vm-rig';

/** TPM2_PCR_Extend of PCR 23 (sha256) with an empty password session, as octal escapes for printf. */
function pcrExtendCommand(byte: number): string {
  const bytes = [
    0x80,
    0x02,
    0x00,
    0x00,
    0x00,
    0x41,
    0x00,
    0x00,
    0x01,
    0x82, // tag, size 65, TPM_CC_PCR_Extend
    0x00,
    0x00,
    0x00,
    0x17, // PCR 23
    0x00,
    0x00,
    0x00,
    0x09,
    0x40,
    0x00,
    0x00,
    0x09,
    0x00,
    0x00,
    0x00,
    0x00,
    0x00, // auth: TPM_RS_PW, empty
    0x00,
    0x00,
    0x00,
    0x01,
    0x00,
    0x0b, // one digest, sha256
    ...new Array<number>(32).fill(byte),
  ];
  return bytes.map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
}

/**
 * UEFI (variables in qcow2) with a TPM 2.0 (swtpm): a memory snapshot captures the TPM with
 * RAM, devices, disks and the UEFI variables; a restore rewinds the TPM (a PCR extended after
 * the snapshot is back to its value at the snapshot).
 */
describe('snapshots with UEFI and a TPM', () => {
  const docker = localDocker();
  const cleanup = new Cleanup();
  afterAll(() => cleanup.run());

  it('rewinds the TPM with the rest of the machine', async () => {
    const vm = await startStandinVm(docker, cleanup, 'wdk-tpm', { firmware: { type: 'uefi', tpm: true } });
    const sh = (command: string) => guestSh(docker, vm.name, command);
    const pcr = () => sh('cat /sys/class/tpm/tpm0/pcr-sha256/23');
    const extend = (byte: number) =>
      sh(
        `exec 3<>/dev/tpm0; printf '${pcrExtendCommand(byte)}' >&3; dd bs=4096 count=1 <&3 2>/dev/null | od -An -tx1 | tr -d ' \\n'`,
      );

    expect((await extend(1)).slice(12, 20)).toBe('00000000'); // response code TPM_RC_SUCCESS
    const atSnapshot = await pcr();
    const record = await takeSnapshot({ docker, container: vm.name }, { tag: 'tpm', memory: true });
    expect(record.nodes).toEqual(['disk-system', 'fw-vars']);
    expect(record.hardware).toMatchObject({ firmware: 'uefi', tpm: true });

    expect((await extend(2)).slice(12, 20)).toBe('00000000');
    const extended = await pcr();
    expect(extended).not.toBe(atSnapshot);

    const result = await restoreSnapshot({ docker, container: vm.name }, 'tpm');
    console.log(`UEFI+TPM restore: loaded ${result.loadMs} ms, agent answering ${result.responsiveMs} ms`);
    expect(await pcr()).toBe(atSnapshot);
  });
});
