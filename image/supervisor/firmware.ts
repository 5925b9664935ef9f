import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { RUNTIME_PATHS, STORAGE_PATHS, type VmSpec } from '../../contract';
import { EXIT, SupervisorError } from './exit-codes';
import { DEBIAN_VARS_TEMPLATES } from './qemu/host-facts';
import { runCommand } from './run-command';
import { waitForPath } from './wait-for-path';

/** UEFI variables live in the volume as qcow2 (snapshot-capable), made once from the template. */
export async function prepareFirmwareVars(spec: VmSpec): Promise<void> {
  if (spec.firmware.type === 'bios' || existsSync(STORAGE_PATHS.firmwareVars)) return;
  mkdirSync(dirname(STORAGE_PATHS.firmwareVars), { recursive: true });
  const template = DEBIAN_VARS_TEMPLATES[spec.firmware.type];
  const partial = `${STORAGE_PATHS.firmwareVars}.partial`;
  try {
    await runCommand('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', template, partial]);
    await runCommand('mv', [partial, STORAGE_PATHS.firmwareVars]);
  } catch (error) {
    throw new SupervisorError((error as Error).message, EXIT.HELPERS, 'firmware');
  }
}

/** Starts swtpm (TPM 2.0) with its state in the volume; QEMU connects to its control socket. */
export async function startTpm(spec: VmSpec): Promise<ChildProcess | undefined> {
  if (!spec.firmware.tpm) return undefined;
  mkdirSync(STORAGE_PATHS.tpmDir, { recursive: true });
  const swtpm = spawn(
    'swtpm',
    [
      'socket',
      '--tpm2',
      '--tpmstate',
      `dir=${STORAGE_PATHS.tpmDir}`,
      '--ctrl',
      `type=unixio,path=${RUNTIME_PATHS.swtpm}`,
      '--terminate',
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  swtpm.on('error', () => undefined);
  try {
    await waitForPath(RUNTIME_PATHS.swtpm, 10_000);
  } catch {
    swtpm.kill('SIGKILL');
    throw new SupervisorError('swtpm did not create its socket within 10 s', EXIT.HELPERS, 'tpm');
  }
  return swtpm;
}
