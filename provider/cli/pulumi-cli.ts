// The real `pulumi` CLI, for what a stack knows (its config, its resources): it already handles
// every backend, login and secrets provider the user has, which a reimplementation would not.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export class PulumiCliError extends Error {}

/** Runs `pulumi ARGS` (no shell) and parses its stdout as JSON. Stdout is never logged: it can hold secrets. */
export function pulumiJson(
  args: string[],
  cwd: string,
  pulumi = process.env.WINDOCK_PULUMI ?? 'pulumi',
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      pulumi,
      [...args, '--non-interactive'],
      { cwd, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: 'true' } },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          return reject(
            new PulumiCliError(
              `the pulumi CLI is not on PATH (needed to read the stack of the project in ${cwd}): install it; or set WINDOCK_HOSTS and name the VM's host with --host`,
            ),
          );
        }
        if (error) {
          const why = stderr.trim().split('\n').slice(-3).join(' ') || error.message;
          return reject(new PulumiCliError(`pulumi ${args.join(' ')} failed in ${cwd}: ${why}`));
        }
        try {
          resolve(JSON.parse(stdout));
        } catch {
          reject(new PulumiCliError(`pulumi ${args.join(' ')} printed something that is not JSON`));
        }
      },
    );
  });
}

/** Whether `dir` or a folder above it holds a Pulumi project (Pulumi.yaml), as the pulumi CLI looks. */
export function inPulumiProject(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'Pulumi.yaml')) || existsSync(join(d, 'Pulumi.yml'))) return true;
    if (dirname(d) === d) return false;
  }
}
