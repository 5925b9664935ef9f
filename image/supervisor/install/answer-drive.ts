// The answer file reaches Windows Setup on a small FAT drive beside the unmodified ISO: Setup
// looks for autounattend.xml in the root of every removable drive. The drive is written at each
// start of an unfinished install (the password is read from its 0400 secret file, never from the
// environment), lives only in the VM's own volume, and is deleted once Setup has finished.
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STORAGE_PATHS, type VmSpec } from '../../../provider/spec';
import { answerFile, formatAnswerFileIssues, type AnswerFileInput } from '../../../provider/unattend';
import { EXIT, SupervisorError } from '../exit-codes';
import { runCommand } from '../run-command';

export const ANSWER_DRIVE = `${STORAGE_PATHS.installDir}/answer.img`;
export const ANSWER_FILE_NAME = 'autounattend.xml';
const DRIVE_KIB = 1440;

/** The generator's input for this spec, with the secrets read by `readSecret`. Pure but for it. */
export function answerFileInput(
  spec: VmSpec,
  readSecret: (name: string) => string,
): AnswerFileInput | undefined {
  const install = spec.install;
  const settings = install?.unattend;
  if (!install || !settings) return undefined;
  return {
    windows: {
      version: install.windows.version,
      edition: install.windows.edition,
      evaluation: install.windows.evaluationDays !== undefined,
    },
    firmware: spec.firmware.type,
    settings,
    secrets: {
      adminPassword: readSecret(settings.adminPasswordSecret),
      ...(settings.productKeySecret ? { productKey: readSecret(settings.productKeySecret) } : {}),
      ...(settings.domainJoin ? { domainPassword: readSecret(settings.domainJoin.passwordSecret) } : {}),
    },
    drivers: install.drivers !== undefined,
  };
}

/**
 * Writes the answer drive for an unfinished unattended install; returns its path, or undefined
 * when the install is attended (no unattend settings).
 */
export async function writeAnswerDrive(
  spec: VmSpec,
  readSecret: (name: string) => string,
  drive = ANSWER_DRIVE,
): Promise<string | undefined> {
  const input = answerFileInput(spec, readSecret);
  if (!input) return undefined;
  const result = answerFile(input);
  if (!result.ok)
    throw new SupervisorError(
      `the answer file is not valid: ${formatAnswerFileIssues(result.issues).join('; ')}`,
      EXIT.SPEC_INVALID,
      'install: answer file',
    );
  const dir = drive.slice(0, drive.lastIndexOf('/'));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const staged = join(dir, `.${ANSWER_FILE_NAME}`);
  rmSync(drive, { force: true });
  try {
    writeFileSync(staged, result.xml, { mode: 0o600 });
    await runCommand('mkfs.vfat', ['-C', '-n', 'WINDOCK', drive, String(DRIVE_KIB)]);
    chmodSync(drive, 0o600);
    await runCommand('mcopy', ['-i', drive, staged, `::/${ANSWER_FILE_NAME}`]);
  } catch (error) {
    rmSync(drive, { force: true });
    throw new SupervisorError((error as Error).message, EXIT.HELPERS, 'install: answer drive');
  } finally {
    rmSync(staged, { force: true });
  }
  return drive;
}

/** Setup has finished: the drive with the passwords goes. */
export function removeAnswerDrive(drive = ANSWER_DRIVE): void {
  if (existsSync(drive)) rmSync(drive, { force: true });
}
