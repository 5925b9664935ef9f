import type Dockerode from 'dockerode';
import { runInGuest } from '../../provider/vm/guest-exec';

export interface GuestShellResult {
  exitCode: number | null;
  /** stdout, trimmed. */
  stdout: string;
  stderr: string;
}

/** Runs `sh -c command` in a VM's guest through its agent (provider/vm/guest-exec). */
export async function guestShell(
  docker: Dockerode,
  container: string,
  command: string,
  timeoutMs = 60_000,
): Promise<GuestShellResult> {
  const result = await runInGuest({ docker, container }, ['/bin/sh', '-c', command], { timeoutMs });
  return {
    exitCode: result.exitCode,
    stdout: result.stdout.toString('utf8').trim(),
    stderr: result.stderr.toString('utf8'),
  };
}

/** Like guestShell, but fails on a non-zero exit; returns stdout. */
export async function guestSh(docker: Dockerode, container: string, command: string): Promise<string> {
  const result = await guestShell(docker, container, command);
  if (result.exitCode !== 0) {
    throw new Error(`guest command "${command}" failed (${result.exitCode}): ${result.stderr}`);
  }
  return result.stdout;
}
