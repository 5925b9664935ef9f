import { RUNTIME_PATHS, STORAGE_PATHS, type VmSpec } from '../../../contract';
import { FIRMWARE_VARS_NODE } from '../../../contract/block-nodes';
import type { HostFacts } from './host-facts';

/**
 * UEFI code stays raw and read-only; the variables live in the volume as qcow2, because a raw
 * writable pflash blocks every internal snapshot.
 */
export function firmwareArgs(spec: VmSpec, facts: HostFacts): string[] {
  const args: string[] = [];
  if (spec.firmware.type !== 'bios') {
    const code =
      spec.firmware.type === 'uefi-secure'
        ? facts.firmwareFiles.uefiSecureCode
        : facts.firmwareFiles.uefiCode;
    args.push(
      '-blockdev',
      `driver=file,filename=${code},node-name=fw-code-file,read-only=on`,
      '-blockdev',
      'driver=raw,file=fw-code-file,node-name=fw-code,read-only=on',
      '-blockdev',
      `driver=file,filename=${STORAGE_PATHS.firmwareVars},node-name=${FIRMWARE_VARS_NODE}-file`,
      '-blockdev',
      `driver=qcow2,file=${FIRMWARE_VARS_NODE}-file,node-name=${FIRMWARE_VARS_NODE}`,
    );
  }
  if (spec.firmware.tpm) {
    args.push(
      '-chardev',
      `socket,id=tpm-chr,path=${RUNTIME_PATHS.swtpm}`,
      '-tpmdev',
      'emulator,id=tpm0,chardev=tpm-chr',
      '-device',
      spec.machine.startsWith('pc-q35') ? 'tpm-crb,tpmdev=tpm0' : 'tpm-tis,tpmdev=tpm0',
    );
  }
  return args;
}
