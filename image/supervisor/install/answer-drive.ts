// The answer file reaches Windows Setup on a small FAT drive beside the unmodified ISO: Setup
// looks for autounattend.xml in the root of every removable drive. The drive is written at each
// start of an unfinished install (the password is read from its 0400 secret file, never from the
// environment), lives only in the VM's own volume, and is deleted once Setup has finished.
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STORAGE_PATHS, type VmSpec } from '../../../contract';
import { answerFile, formatAnswerFileIssues, type AnswerFileInput } from '../../../lib/unattend';
import { EXIT, SupervisorError } from '../exit-codes';
import { runCommand } from '../run-command';
import { ownAnswerFileBytes } from './own-answer-file';
import { installImageFor } from './media/wim/install-image';

export const ANSWER_DRIVE = `${STORAGE_PATHS.installDir}/answer.img`;
export const ANSWER_FILE_NAME = 'autounattend.xml';
const DRIVE_KIB = 1440;

/** A culture as Windows writes it: "en-us" -> "en-US", "sr-latn-rs" -> "sr-Latn-RS". */
export function windowsLanguageTag(culture: string): string {
  return culture
    .split('-')
    .map((part, i) =>
      i === 0
        ? part.toLowerCase()
        : part.length === 4
          ? part[0]!.toUpperCase() + part.slice(1)
          : part.toUpperCase(),
    )
    .join('-');
}

/**
 * The generator's input for this spec, with the secrets read by `readSecret`, installing to
 * `targetDisk` (setupTargetDisk of the VM's QEMU command line). Pure but for `readSecret`.
 */
export function answerFileInput(
  spec: VmSpec,
  readSecret: (name: string) => string,
  targetDisk: number,
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
    targetDisk,
    // Setup shows, and installs, only the languages its media carries.
    ...(install.windows.language ? { uiLanguage: windowsLanguageTag(install.windows.language) } : {}),
  };
}

/**
 * Writes the answer drive for an unfinished unattended install; returns its path, or undefined
 * when the install is attended (neither unattend settings nor the user's own answer file).
 */
export async function writeAnswerDrive(
  spec: VmSpec,
  readSecret: (name: string) => string,
  targetDisk: number,
  drive = ANSWER_DRIVE,
): Promise<string | undefined> {
  // The user's own answer file (unattend.file) goes onto the drive as it is.
  const own = spec.install?.answerFile;
  if (own) return writeFatDrive(ownAnswerFileBytes(readSecret(own.secret), targetDisk), drive);
  const input = answerFileInput(spec, readSecret, targetDisk);
  if (!input) return undefined;
  const image = await installImageFor(spec);
  const result = answerFile(image ? { ...input, image } : input);
  if (!result.ok)
    throw new SupervisorError(
      `the answer file is not valid: ${formatAnswerFileIssues(result.issues).join('; ')}`,
      EXIT.SPEC_INVALID,
      'install: answer file',
    );
  return writeFatDrive(result.xml, drive);
}

/** A fresh FAT drive holding only autounattend.xml with this content (0600, staged then removed). */
async function writeFatDrive(content: string | Buffer, drive: string): Promise<string> {
  const dir = drive.slice(0, drive.lastIndexOf('/'));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const staged = join(dir, `.${ANSWER_FILE_NAME}`);
  rmSync(drive, { force: true });
  try {
    writeFileSync(staged, content, { mode: 0o600 });
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
