// An answer file the user brings (`unattend: { file }`), as dockur users mount their own. It may
// hold passwords, so it never enters the spec, the state or the container's config: the
// provider reads it from the machine running Pulumi at each start of an unfinished install and
// hands it over as the secret file ANSWER_FILE_SECRET; the spec names only that secret.
import { readFileSync, statSync } from 'node:fs';
import { checkLocalFile } from '../../security/local-files';
import { answerFileFacts, decodeXmlBytes, validateOwnAnswerFile } from '../../../lib/unattend';
import { setupDiskNumber } from '../../../lib/unattend/setup-disk-order';

export const ANSWER_FILE_SECRET = 'answer-file';
const FIELD = 'unattend.file';
// The answer drive is a 1.44 MB FAT image; dockur's largest answer file is under 30 KiB.
const MAX_BYTES = 512 * 1024;

export type OwnAnswerFile = { ok: true; bytes: Buffer; xml: string } | { ok: false; reason: string };

/** Reads and checks the file: there, not a credential, an answer file Setup can read. */
export function readOwnAnswerFile(path: string): OwnAnswerFile {
  const verdict = checkLocalFile(path, FIELD);
  if (!verdict.ok) return verdict;
  const size = statSync(verdict.path).size;
  if (size > MAX_BYTES)
    return {
      ok: false,
      reason: `${FIELD}: ${path} is ${size} bytes: an answer file fits in ${MAX_BYTES / 1024} KiB (it goes onto a 1.44 MB drive); give the autounattend.xml itself`,
    };
  const bytes = readFileSync(verdict.path);
  const xml = decodeXmlBytes(bytes);
  if (xml === undefined)
    return {
      ok: false,
      reason: `${FIELD}: ${path} is not text (neither UTF-8 nor UTF-16 with a byte-order mark): give an answer file (autounattend.xml)`,
    };
  const issues = validateOwnAnswerFile(xml);
  if (issues.length > 0)
    return {
      ok: false,
      reason: issues.map((i) => `${FIELD}: ${path}: ${i.message} (at ${i.path})`).join('\n'),
    };
  return { ok: true, bytes, xml };
}

/** The secret that carries it: the file's bytes as they are (base64, so any encoding survives). */
export function ownAnswerFileSecret(path: string): Record<string, string> {
  const file = readOwnAnswerFile(path);
  if (!file.ok) throw new Error(file.reason);
  return { [ANSWER_FILE_SECRET]: file.bytes.toString('base64') };
}

// What Setup sees during a windock install: the answer stick (usb-storage, an inbox driver) and
// the virtio-blk system disk (image/supervisor/qemu/install.ts, disks.ts), numbered by Part A's
// model of Setup's disk order.
const INSTALL_LAYOUT = [
  '-device',
  'usb-storage,bus=usb0.0,drive=answer-media,id=answer-drive',
  '-device',
  'virtio-blk-pci,drive=system,id=system-dev',
];

const BEACON_COMMAND =
  '<SynchronousCommand wcm:action="add"><Order>(last)</Order><CommandLine>cmd /c "echo WINDOCK-READY&gt;\\\\.\\Global\\org.windock.beacon"</CommandLine></SynchronousCommand>';

/**
 * Preview-time problems of `unattend.file` against the rest of the VM, each naming the field and
 * the fix: the file itself, a target disk that is the answer stick, and a file without the
 * first-logon command that writes the beacon. windock does not change the user's file; the
 * beacon is what ends windock's install phase (image/supervisor/lifecycle/guest-watch.ts watchBeacon ->
 * finishInstall): without it every later start would boot the installer and its answer file
 * again, and readiness "beacon" would never be reached.
 */
export function ownAnswerFileFailures(vm: { unattend?: { file?: string } | object }): string[] {
  const path = (vm.unattend as { file?: string } | undefined)?.file;
  if (path === undefined) return [];
  const file = readOwnAnswerFile(path);
  if (!file.ok) return [file.reason];
  const facts = answerFileFacts(file.xml)!;
  const failures: string[] = [];
  const stick = setupDiskNumber(INSTALL_LAYOUT, 'answer-drive')!;
  const system = setupDiskNumber(INSTALL_LAYOUT, 'system-dev')!;
  if (facts.installDisks.includes(stick))
    failures.push(
      `${FIELD}: ${path} partitions or installs to DiskID ${stick}, which is the USB stick that carries the answer file (Setup numbers it before the virtio system disk): use DiskID ${system} for the system disk, as dockur's answer files do`,
    );
  if (!facts.writesBeacon)
    failures.push(
      `${FIELD}: ${path} does not write windock's beacon, which tells windock the install has finished (else every restart boots the installer again) and is what readiness "beacon" waits for: add ${BEACON_COMMAND} as the last of oobeSystem Microsoft-Windows-Shell-Setup FirstLogonCommands (the guest needs the virtio-serial driver from the virtio-win CD, as for windock's own answer file)`,
    );
  return failures;
}
