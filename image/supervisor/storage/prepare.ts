import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { diskPath, STORAGE_PATHS, type VmSpec } from '../../../contract';
import { EXIT, SupervisorError } from '../exit-codes';
import { runCommand } from '../run-command';
import { planStorage, type ObservedDisk, type StorageAction } from './plan';
import { volumeRecord, type VolumeRecord } from './volume-record';

async function observeDisk(path: string): Promise<ObservedDisk> {
  if (!existsSync(path)) return { exists: false };
  const info = JSON.parse(await runCommand('qemu-img', ['info', '-U', '--output=json', path])) as {
    'virtual-size': number;
  };
  return { exists: true, virtualSizeMiB: Math.floor(info['virtual-size'] / 1024 ** 2) };
}

export function readRecord(): VolumeRecord | undefined {
  if (!existsSync(STORAGE_PATHS.record)) return undefined;
  const parsed = volumeRecord.safeParse(JSON.parse(readFileSync(STORAGE_PATHS.record, 'utf8')));
  if (!parsed.success) {
    throw new SupervisorError(
      `${STORAGE_PATHS.record} is unreadable; refusing to guess whose volume this is`,
      EXIT.STORAGE,
      'storage',
    );
  }
  return parsed.data;
}

async function apply(action: StorageAction): Promise<void> {
  const { disk } = action;
  const path = diskPath(disk.name, disk.format);
  switch (action.kind) {
    case 'create':
      await runCommand('qemu-img', ['create', '-q', '-f', disk.format, path, `${disk.sizeMiB}M`]);
      return;
    case 'import': {
      if (!existsSync(action.from)) throw new Error(`disk "${disk.name}": ${action.from} does not exist`);
      const partial = `${path}.importing`;
      await runCommand('qemu-img', [
        'convert',
        '-f',
        action.fromFormat,
        '-O',
        disk.format,
        action.from,
        partial,
      ]);
      const imported = await observeDisk(partial);
      if ((imported.virtualSizeMiB ?? 0) < disk.sizeMiB) {
        await runCommand('qemu-img', ['resize', '-q', '-f', disk.format, partial, `${disk.sizeMiB}M`]);
      }
      // Only a complete import gets the real name, so a crash mid-copy never looks like a disk.
      await runCommand('mv', [partial, path]);
      return;
    }
    case 'overlay': {
      // A linked clone: copy-on-write over a read-only base; the base is never written.
      if (!existsSync(action.base))
        throw new Error(
          `disk "${disk.name}": the clone base ${action.base} does not exist (is its volume mounted?)`,
        );
      const partial = `${path}.creating`;
      await runCommand('qemu-img', [
        'create',
        '-q',
        '-f',
        'qcow2',
        '-F',
        'qcow2',
        '-b',
        action.base,
        partial,
      ]);
      const created = await observeDisk(partial);
      if ((created.virtualSizeMiB ?? 0) < disk.sizeMiB)
        await runCommand('qemu-img', ['resize', '-q', '-f', 'qcow2', partial, `${disk.sizeMiB}M`]);
      await runCommand('mv', [partial, path]);
      return;
    }
    case 'grow':
      await runCommand('qemu-img', ['resize', '-q', '-f', disk.format, path, `${disk.sizeMiB}M`]);
      return;
    case 'keep':
      return;
  }
}

/** Makes the volume hold every disk of the spec. Returns warnings for the status. */
export async function prepareStorage(spec: VmSpec): Promise<string[]> {
  const observed: Record<string, ObservedDisk> = {};
  for (const disk of spec.disks) {
    observed[disk.name] =
      disk.source.kind === 'block-device'
        ? { exists: existsSync(disk.source.device) }
        : await observeDisk(diskPath(disk.name, disk.format));
  }
  const plan = planStorage(spec, observed, readRecord());
  if (!plan.ok) throw new SupervisorError(plan.reason, EXIT.STORAGE, 'storage');
  // Only now, once the volume is known to be this VM's: a refused volume is left exactly as it was.
  for (const dir of [STORAGE_PATHS.disksDir, STORAGE_PATHS.logsDir]) mkdirSync(dir, { recursive: true });
  for (const action of plan.actions) {
    try {
      await apply(action);
    } catch (error) {
      throw new SupervisorError(
        (error as Error).message,
        EXIT.STORAGE,
        `storage: ${action.kind} ${action.disk.name}`,
      );
    }
  }
  writeFileSync(STORAGE_PATHS.record, JSON.stringify(plan.record, null, 2) + '\n');
  return plan.warnings;
}
