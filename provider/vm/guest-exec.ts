import { connectVmAgent } from './agent-exec';
import type { VmRef } from './snapshots';

export interface GuestCommandOptions {
  /** Written to the command's stdin, which is then closed. */
  input?: Buffer | string;
  /** The command's whole environment (the agent does not merge it with its own). */
  env?: Record<string, string>;
  /** Deadline for the command to exit. Default 10 min. */
  timeoutMs?: number;
}

export interface GuestCommandResult {
  /** The guest process's exit code; null when it was killed by a signal. */
  exitCode: number | null;
  signal?: number;
  stdout: Buffer;
  stderr: Buffer;
  /** The agent keeps at most 16 MiB of each stream. */
  truncated: boolean;
  durationMs: number;
}

export class GuestCommandError extends Error {
  override readonly name: string = 'GuestCommandError';
}

/**
 * Runs a command in a VM through its guest agent (no network, no SSH in the guest): argv[0] is
 * looked up on the guest's PATH. Returns the real exit code, stdout and stderr separately.
 */
export async function runInGuest(
  ref: VmRef,
  argv: string[],
  options: GuestCommandOptions = {},
): Promise<GuestCommandResult> {
  if (argv.length === 0) throw new GuestCommandError('no command given');
  const started = Date.now();
  const agent = await connectVmAgent(ref.docker, ref.container, 30_000).catch((error: unknown) => {
    throw new GuestCommandError(
      `the guest agent of ${ref.container} does not answer (${(error as Error).message}): is the VM running, with guestAgent on and the agent installed in the guest?`,
      { cause: error },
    );
  });
  try {
    const result = await agent.exec(argv[0]!, argv.slice(1), {
      timeoutMs: options.timeoutMs ?? 600_000,
      ...(options.input !== undefined ? { input: options.input } : {}),
      ...(options.env !== undefined ? { env: options.env } : {}),
    });
    const out: GuestCommandResult = {
      exitCode: result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
      truncated: result.stdoutTruncated || result.stderrTruncated,
      durationMs: Date.now() - started,
    };
    if (result.signal !== undefined) out.signal = result.signal;
    return out;
  } finally {
    agent.close();
  }
}
