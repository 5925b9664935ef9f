// Arguments of the subcommands that act on one VM and reach it as a local address: console, rdp.
export interface ReachArgs {
  vm: string;
  host?: string;
  stack?: string;
  /** The local port to listen on; 0: an ephemeral one. */
  port: number;
}

export class ReachUsageError extends Error {}

/** Parses `console`/`rdp` arguments (everything after the subcommand). Pure. */
export function parseReachArgs(args: string[]): ReachArgs {
  const parsed: Partial<ReachArgs> = { port: 0 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new ReachUsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--host') parsed.host = value();
    else if (arg === '--stack') parsed.stack = value();
    else if (arg === '--port') {
      const text = value();
      const n = Number(text);
      if (!/^\d+$/.test(text) || n < 1 || n > 65535)
        throw new ReachUsageError(`--port takes a port number from 1 to 65535 (not "${text}")`);
      parsed.port = n;
    } else if (arg.startsWith('-')) throw new ReachUsageError(`unknown option ${arg}`);
    else if (parsed.vm === undefined) parsed.vm = arg;
    else throw new ReachUsageError(`unexpected argument "${arg}"`);
  }
  if (!parsed.vm) throw new ReachUsageError('name the VM');
  return parsed as ReachArgs;
}
