// The install's thin shell in the supervisor: which drives an unfinished install attaches, the
// key presses of its first boot, and its end (the first-logon beacon) recorded in the volume.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mediaFilePath, STORAGE_PATHS, type VmSpec } from '../../../contract';
import type { QmpClient } from '../../../lib/qmp/qmp-client';
import { EXIT, SupervisorError } from '../exit-codes';
import { setupTargetDisk, type InstallDrives } from '../qemu/install';
import type { StatusFile } from '../status';
import { volumeRecord } from '../storage/volume-record';
import { ANSWER_DRIVE, removeAnswerDrive, writeAnswerDrive } from './answer-drive';
import { pressKeysDuringBoot } from './boot-keys';

function installFinished(): boolean {
  if (!existsSync(STORAGE_PATHS.record)) return false;
  const record = volumeRecord.safeParse(JSON.parse(readFileSync(STORAGE_PATHS.record, 'utf8')));
  return record.success && Boolean(record.data.install?.completedAt);
}

/**
 * The drives of an unfinished install (the ISO, the drivers ISO, a fresh answer drive), or
 * undefined when there is no install or it has finished: an installed system boots alone.
 * `argvFor` is the VM's QEMU command line with these drives: the answer file installs to the
 * system disk's number on it.
 */
export async function prepareInstallDrives(
  spec: VmSpec,
  secretsReady: () => Promise<void>,
  readSecret: (name: string) => string,
  log: (line: string) => void,
  argvFor: (drives: InstallDrives) => string[],
): Promise<InstallDrives | undefined> {
  if (!spec.install || installFinished()) return undefined;
  await secretsReady();
  const media = mediaFilePath(spec.install.media);
  const drivers = spec.install.drivers ? mediaFilePath(spec.install.drivers) : undefined;
  for (const file of [media, drivers]) {
    if (file && !existsSync(file))
      throw new SupervisorError(
        `${file} is missing: the install media was not made available`,
        EXIT.MEDIA,
        'install: media',
      );
  }
  const planned: InstallDrives = { media, ...(drivers ? { drivers } : {}), answer: ANSWER_DRIVE };
  const answer = await writeAnswerDrive(spec, readSecret, setupTargetDisk(spec, argvFor(planned)));
  log(
    `install: Windows ${spec.install.windows.version} ${spec.install.windows.edition} from ${media}` +
      (drivers ? `, drivers ${drivers}` : '') +
      (answer ? ', unattended' : ', attended (no answer file)'),
  );
  return { media, ...(drivers ? { drivers } : {}), ...(answer ? { answer } : {}) };
}

/** QEMU runs an install: phase "installing", and the key the ISO's boot prompt waits for. */
export function startInstallBoot(
  spec: VmSpec,
  monitor: QmpClient | undefined,
  status: StatusFile,
  log: (line: string) => void,
): void {
  status.update({ phase: 'installing', install: { step: 'setup' } });
  // A kernel boot (the stand-in guest) has no boot prompt to answer.
  if (monitor && spec.boot.kind === 'disk') {
    const presses = pressKeysDuringBoot(monitor, undefined, log);
    void presses.done.then((n) => log(`install: pressed a key ${n} times for the ISO's boot prompt`));
  }
}

/** The first-logon beacon of an install: Setup has finished. Recorded in the volume; the answer drive goes. */
export function finishInstall(status: StatusFile, log: (line: string) => void): void {
  if (existsSync(STORAGE_PATHS.record)) {
    const record = volumeRecord.parse(JSON.parse(readFileSync(STORAGE_PATHS.record, 'utf8')));
    if (record.install && !record.install.completedAt) {
      record.install.completedAt = new Date().toISOString();
      writeFileSync(STORAGE_PATHS.record, JSON.stringify(record, null, 2) + '\n');
    }
  }
  removeAnswerDrive();
  status.update({ phase: 'running', install: { step: 'finished', finishedAt: new Date().toISOString() } });
  log('install: Windows Setup finished (first-logon beacon); the answer drive was removed');
}
