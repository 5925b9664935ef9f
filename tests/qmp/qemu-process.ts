import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { QmpClient } from '../../lib/qmp';
import { connectWhenReady } from './retry-connect';

export interface QemuProcess {
  proc: ChildProcess;
  qmpSocket: string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  stderr(): string;
  connect(): Promise<QmpClient>;
  kill(): Promise<void>;
}

export interface QemuOptions {
  dir: string;
  memMb?: number;
  /** A qcow2 image attached as block nodes `disk0-file` / `disk0` on virtio-blk. */
  disk?: string;
}

export async function makeTempDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function createQcow2(path: string, size = '16M'): Promise<void> {
  await promisify(execFile)('qemu-img', ['create', '-q', '-f', 'qcow2', path, size]);
}

let counter = 0;

export function startQemu(options: QemuOptions): QemuProcess {
  const qmpSocket = join(options.dir, `qmp-${++counter}.sock`);
  const args = [
    ['-accel', 'tcg'],
    ['-machine', 'q35'],
    ['-m', String(options.memMb ?? 64)],
    ['-nodefaults', '-display', 'none', '-S'],
    ['-qmp', `unix:${qmpSocket},server=on,wait=off`],
  ].flat();
  if (options.disk) {
    args.push(
      ...['-blockdev', `driver=file,filename=${options.disk},node-name=disk0-file`],
      ...['-blockdev', 'driver=qcow2,file=disk0-file,node-name=disk0'],
      ...['-device', 'virtio-blk-pci,drive=disk0'],
    );
  }
  const proc = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    proc,
    qmpSocket,
    exited,
    stderr: () => stderr,
    connect: async () => QmpClient.connect(await connectWhenReady(qmpSocket), { timeoutMs: 10_000 }),
    kill: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGCONT');
        proc.kill('SIGKILL');
      }
      await exited;
    },
  };
}
