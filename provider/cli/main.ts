#!/usr/bin/env node
import { sharedHostPool } from '../hosts';
import { runInGuest, type GuestCommandResult } from '../vm/guest-exec';
import { resolveVm } from './stack-hosts';
import { parseReachArgs } from './target-args';
import { requireVmContainer } from './vm-container';

const USAGE = `usage: windock exec [--stack NAME] [--host NAME] [--timeout SECONDS] [-i] [--from-snapshot TAG --discard] <vm-name> -- <command> [args...]

Runs a command in a windock VM through its guest agent and exits with the command's exit code
(stdout and stderr are the guest's own).

Every subcommand finds the VM's host in the stack: --stack NAME, or the current stack of the
Pulumi project in the working folder (read with the pulumi CLI: its WindowsVm resources and its
windock:hosts config). WINDOCK_HOSTS (a JSON list in the format of windock:hosts) overrides the
stack's hosts; without a stack, a VM is on the local host unless --host names another.

  --stack NAME          the stack that knows the VM
  --host NAME           the VM's host (when no stack knows the VM)
  --timeout SECONDS     deadline for the command (default: 600)
  -i                    pass this process's stdin to the command
  --from-snapshot TAG   run in a throwaway copy of the VM started from its memory snapshot TAG
  --discard             (with --from-snapshot) required: the copy and its changes are removed after

Exit codes: the guest command's own; 125 when windock itself failed (VM not found, no agent...).

Also: windock console <vm-name>: its browser console from this machine (a tunnel to a remote host).
      windock rdp <vm-name>: its RDP port from this machine (a tunnel to a remote host).
      windock list: the stack's VMs and their hosts (or a host's, with --host).
      windock record start|stop|status|list <vm-name>: screen recordings (windock record --help).
      windock images prune [--host NAME]: remove cached disk images no VM uses (windock images --help).
Each has --help.`;

export interface ExecArgs {
  host?: string;
  stack?: string;
  vm: string;
  command: string[];
  timeoutSeconds: number;
  stdin: boolean;
  fromSnapshot?: string;
  discard: boolean;
}

export class UsageError extends Error {}

/** Parses `exec` arguments (everything after `windock exec`). Pure. */
export function parseExecArgs(args: string[]): ExecArgs {
  const parsed: Partial<ExecArgs> & { command?: string[] } = {
    timeoutSeconds: 600,
    stdin: false,
    discard: false,
  };
  let i = 0;
  const value = (flag: string) => {
    const v = args[++i];
    if (v === undefined || v === '--') throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      parsed.command = args.slice(i + 1);
      break;
    }
    if (arg === '--host') parsed.host = value(arg);
    else if (arg === '--stack') parsed.stack = value(arg);
    else if (arg === '--timeout') {
      const n = Number(value(arg));
      if (!Number.isInteger(n) || n <= 0) throw new UsageError('--timeout takes a whole number of seconds');
      parsed.timeoutSeconds = n;
    } else if (arg === '-i' || arg === '--interactive') parsed.stdin = true;
    else if (arg === '--from-snapshot') parsed.fromSnapshot = value(arg);
    else if (arg === '--discard') parsed.discard = true;
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (parsed.vm === undefined) parsed.vm = arg;
    else throw new UsageError(`unexpected argument "${arg}": put the command after --`);
  }
  if (!parsed.vm) throw new UsageError('name the VM');
  if (!parsed.command?.length) throw new UsageError('give the command after --');
  if (parsed.fromSnapshot && !parsed.discard) {
    throw new UsageError(
      '--from-snapshot runs in a throwaway copy whose changes are lost: add --discard to say so',
    );
  }
  if (parsed.discard && !parsed.fromSnapshot) throw new UsageError('--discard goes with --from-snapshot');
  return parsed as ExecArgs;
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function exec(args: ExecArgs): Promise<number> {
  const target = await resolveVm(args.vm, args);
  const docker = sharedHostPool().get(target.host);
  const container = target.container;
  await requireVmContainer(docker, target);
  const options = {
    timeoutMs: args.timeoutSeconds * 1000,
    ...(args.stdin ? { input: await readStdin() } : {}),
  };
  let result: GuestCommandResult;
  if (args.fromSnapshot) {
    const { runInSnapshotCopy } = await import('../vm/throwaway');
    result = await runInSnapshotCopy({ docker, container }, args.fromSnapshot, args.command, options);
  } else {
    result = await runInGuest({ docker, container }, args.command, options);
  }
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  if (result.truncated)
    process.stderr.write('windock: the output was longer than the guest agent keeps (16 MiB) and was cut\n');
  return result.exitCode ?? 128 + (result.signal ?? 0);
}

/**
 * A subcommand's frame: its arguments parsed (a usage error exits 2 with the usage), run (a
 * failure exits 1), and the host connections closed whatever happened.
 */
async function subcommand<A>(
  name: string,
  usage: string,
  parse: () => A,
  run: (args: A) => Promise<number>,
): Promise<number> {
  let args: A;
  try {
    args = parse();
  } catch (error) {
    process.stderr.write(`windock ${name}: ${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  try {
    return await run(args);
  } catch (error) {
    process.stderr.write(`windock ${name}: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await sharedHostPool()
      .closeAll()
      .catch(() => undefined);
  }
}

/** `windock record start|stop|status|list ...` (provider/cli/record.ts). */
async function recordCommand(rest: string[]): Promise<number> {
  const { parseRecordArgs, record, RECORD_USAGE } = await import('./record');
  return subcommand('record', RECORD_USAGE, () => parseRecordArgs(rest), record);
}

/** `windock console|rdp VM` (provider/cli/console.ts, rdp.ts). */
async function reachCommand(name: 'console' | 'rdp', rest: string[]): Promise<number> {
  const { CONSOLE_USAGE, consoleCommand } = await import('./console');
  const { RDP_USAGE, rdpCommand } = await import('./rdp');
  const usage = name === 'console' ? CONSOLE_USAGE : RDP_USAGE;
  if (rest[0] === '--help' || rest[0] === 'help') {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  return subcommand(
    name,
    usage,
    () => parseReachArgs(rest),
    name === 'console' ? consoleCommand : rdpCommand,
  );
}

/** `windock list` (provider/cli/list.ts). */
async function listCommand(rest: string[]): Promise<number> {
  const { parseListArgs, list, LIST_USAGE } = await import('./list');
  if (rest[0] === '--help' || rest[0] === 'help') {
    process.stdout.write(`${LIST_USAGE}\n`);
    return 0;
  }
  return subcommand('list', LIST_USAGE, () => parseListArgs(rest), list);
}

/** `windock images prune ...` (provider/cli/images.ts). */
async function imagesCommand(rest: string[]): Promise<number> {
  const { parseImagesArgs, images, IMAGES_USAGE } = await import('./images');
  if (rest[0] === '--help' || rest[0] === 'help') {
    process.stdout.write(`${IMAGES_USAGE}\n`);
    return 0;
  }
  return subcommand('images', IMAGES_USAGE, () => parseImagesArgs(rest), images);
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === 'record') return recordCommand(rest);
  if (command === 'images') return imagesCommand(rest);
  if (command === 'console' || command === 'rdp') return reachCommand(command, rest);
  if (command === 'list') return listCommand(rest);
  if (command !== 'exec') {
    process.stderr.write(`windock: unknown command "${command}"\n${USAGE}\n`);
    return 2;
  }
  let args: ExecArgs;
  try {
    args = parseExecArgs(rest);
  } catch (error) {
    process.stderr.write(`windock exec: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  try {
    return await exec(args);
  } catch (error) {
    process.stderr.write(`windock exec: ${(error as Error).message}\n`);
    return 125;
  } finally {
    await sharedHostPool()
      .closeAll()
      .catch(() => undefined);
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    // Let stdout/stderr drain, then exit with the guest's code.
    process.stdout.write('', () => process.exit(code));
  });
}
