// `windock list`: the VMs of a stack (with their hosts), or of one host.
import { requireContainer } from '../docker/containers';
import { sharedHostPool } from '../hosts';
import { resolveHost, stackVms, usesStack, type StackOptions } from './stack-hosts';
import { vmsOnHost } from './vm-container';

export const LIST_USAGE = `usage: windock list [--stack NAME | --host NAME]

Lists windock VMs: those of the stack (default: the current stack of the project here) with their
hosts and container states; with --host, every windock container on that host; with neither and no
Pulumi project here, those on the local host.`;

export interface ListArgs {
  host?: string;
  stack?: string;
}

export class ListUsageError extends Error {}

export function parseListArgs(args: string[]): ListArgs {
  const parsed: ListArgs = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = args[++i];
    if (value === undefined || value.startsWith('--')) throw new ListUsageError(`${arg} needs a value`);
    if (arg === '--host') parsed.host = value;
    else if (arg === '--stack') parsed.stack = value;
    else throw new ListUsageError(`unknown option ${arg}`);
  }
  return parsed;
}

async function stateOn(hostName: string, container: string, o: StackOptions): Promise<string> {
  try {
    const docker = sharedHostPool().get(await resolveHost(hostName, o));
    return (await requireContainer(docker, container)).State.Status;
  } catch (error) {
    return (error as { statusCode?: number }).statusCode === 404
      ? 'missing'
      : `unknown (${(error as Error).message})`;
  }
}

export async function list(args: ListArgs): Promise<number> {
  const rows: string[][] = [['VM', 'HOST', 'STATE', 'CONTAINER']];
  if (args.host === undefined && usesStack(args)) {
    for (const vm of await stackVms(args)) {
      rows.push([vm.vm, vm.host, await stateOn(vm.host, vm.container, args), vm.container]);
    }
  } else {
    const host = await resolveHost(args.host ?? 'local', args);
    for (const vm of await vmsOnHost(sharedHostPool().get(host)))
      rows.push([vm.vm, host.name, vm.state, vm.container]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    process.stdout.write(
      `${r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd()}\n`,
    );
  return 0;
}
