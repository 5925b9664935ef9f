import { GuestAgentError } from './errors';
import type { GuestAgentClient } from './guest-agent-client';

export interface ExecOptions {
  /** Written to the process's stdin, which is then closed. */
  input?: Buffer | string;
  /** The process's whole environment (qemu-ga does not merge it with its own). */
  env?: Record<string, string>;
  /** Deadline for the process to exit. Default 60 s. */
  timeoutMs?: number;
  /** Interval between `guest-exec-status` polls. Default 100 ms. */
  pollMs?: number;
}

export interface ExecResult {
  pid: number;
  /** null when the process was killed by a signal. */
  exitCode: number | null;
  signal?: number;
  stdout: Buffer;
  stderr: Buffer;
  /** qemu-ga keeps at most 16 MiB of each stream; the rest is lost. */
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
}

interface ExecStatus {
  exited: boolean;
  exitcode?: number;
  signal?: number;
  'out-data'?: string;
  'err-data'?: string;
  'out-truncated'?: boolean;
  'err-truncated'?: boolean;
}

const DEFAULT_EXEC_MS = 60_000;
const DEFAULT_POLL_MS = 100;

/** Runs a program in the guest with captured output and waits for it to exit. */
export async function guestExec(
  client: GuestAgentClient,
  path: string,
  args: string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_MS;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const deadline = Date.now() + timeoutMs;
  const request: Record<string, unknown> = { path, arg: args, 'capture-output': true };
  if (options.input !== undefined) request['input-data'] = toBuffer(options.input).toString('base64');
  if (options.env !== undefined) request.env = Object.entries(options.env).map(([k, v]) => `${k}=${v}`);
  const started = await client.execute<{ pid: number }>('guest-exec', request, { timeoutMs });
  const pid = started.pid;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new GuestAgentError(`guest process ${pid} (${path}) did not exit within ${timeoutMs} ms`, {
        kind: 'timeout',
        command: 'guest-exec',
      });
    }
    const status = await client.execute<ExecStatus>('guest-exec-status', { pid }, { timeoutMs: remaining });
    if (status.exited) return toResult(pid, status);
    await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())));
  }
}

function toResult(pid: number, status: ExecStatus): ExecResult {
  const result: ExecResult = {
    pid,
    exitCode: status.exitcode ?? null,
    stdout: Buffer.from(status['out-data'] ?? '', 'base64'),
    stderr: Buffer.from(status['err-data'] ?? '', 'base64'),
    stdoutTruncated: status['out-truncated'] ?? false,
    stderrTruncated: status['err-truncated'] ?? false,
  };
  if (status.signal !== undefined) result.signal = status.signal;
  return result;
}

function toBuffer(data: Buffer | string): Buffer {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
