import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GuestAgentClient } from '../../provider/agent';
import { connectWhenReady } from '../qmp/retry-connect';

export interface QemuGaProcess {
  proc: ChildProcess;
  socket: string;
  exited: Promise<void>;
  stderr(): string;
  /** A client on a fresh connection, already synchronized. */
  connect(): Promise<GuestAgentClient>;
  kill(): Promise<void>;
}

/** Runs the host's qemu-ga (as root) listening on a unix socket inside `dir`. */
export async function startQemuGa(dir: string, blockRpcs: string[] = []): Promise<QemuGaProcess> {
  const stateDir = join(dir, 'state');
  await mkdir(stateDir, { recursive: true });
  const socket = join(dir, 'qga.sock');
  const args = ['-m', 'unix-listen', '-p', socket, '-t', stateDir, '-f', join(dir, 'qga.pid')];
  if (blockRpcs.length > 0) args.push('-b', blockRpcs.join(','));
  const proc = spawn('qemu-ga', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    socket,
    exited,
    stderr: () => stderr,
    connect: async () => GuestAgentClient.connect(await connectWhenReady(socket), { timeoutMs: 10_000 }),
    kill: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGCONT');
        proc.kill('SIGKILL');
      }
      await exited;
    },
  };
}
