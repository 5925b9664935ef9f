// The user's own answer file (spec.install.answerFile): handed over by the provider as a secret
// holding the file's bytes in base64, written onto the answer drive as they are. Checked again
// here with the lenient validator (the provider checked it at preview; this catches a file
// changed since).
import {
  answerFileFacts,
  decodeXmlBytes,
  formatAnswerFileIssues,
  validateOwnAnswerFile,
} from '../../../lib/unattend';
import { EXIT, SupervisorError } from '../exit-codes';

/**
 * The answer file's bytes from its secret, or a SupervisorError naming unattend.file: also when
 * it installs Windows to another disk than the system disk, `targetDisk` (the system disk's
 * number on this VM's QEMU command line, in Setup's disk order).
 */
export function ownAnswerFileBytes(secret: string, targetDisk?: number): Buffer {
  const bytes = Buffer.from(secret, 'base64');
  const xml = decodeXmlBytes(bytes);
  const issues = xml === undefined ? undefined : validateOwnAnswerFile(xml);
  if (xml === undefined || (issues && issues.length > 0))
    throw new SupervisorError(
      `the answer file of unattend.file is not one Windows Setup can read: ${
        issues ? formatAnswerFileIssues(issues).join('; ') : 'not UTF-8 or UTF-16 text'
      }`,
      EXIT.SPEC_INVALID,
      'install: answer file',
    );
  const installTo = answerFileFacts(xml)?.installTo;
  if (targetDisk !== undefined && installTo !== undefined && installTo !== targetDisk)
    throw new SupervisorError(
      `the answer file of unattend.file installs Windows to DiskID ${installTo}, but this VM's system disk is DiskID ${targetDisk} for Windows Setup: change InstallTo (and DiskConfiguration) to DiskID ${targetDisk}`,
      EXIT.SPEC_INVALID,
      'install: answer file',
    );
  return bytes;
}
