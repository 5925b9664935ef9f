import { sharedHostPool } from '../hosts';
import { recordingFormat, recordingName } from '../../contract/recording';
import { listRecordings, recordingStatus, startRecording, stopRecording } from '../vm/recording';
import { resolveVm } from './stack-hosts';
import { requireVmContainer } from './vm-container';

export const RECORD_USAGE = `usage: windock record start|stop|status|list [--stack NAME] [--host NAME] <vm-name> [options]

Screen recordings of a running windock VM, saved in its storage (/storage/recordings).

  start   start recording (one at a time)   --name NAME  --fps N (1-30)  --format webm|mp4
          defaults: the start time, and the VM's recording input (2 fps, webm)
  stop    stop and finalize the running recording; prints its files (one per screen size)
  status  the running recording, if any
  list    the recording files in the VM's storage

  --stack NAME  the stack that knows the VM (default: the current stack of the project here)
  --host NAME   the VM's host, when no stack knows the VM (as in windock exec --help)`;

export interface RecordArgs {
  action: 'start' | 'stop' | 'status' | 'list';
  host?: string;
  stack?: string;
  vm: string;
  name?: string;
  framesPerSecond?: number;
  format?: 'webm' | 'mp4';
}

export class RecordUsageError extends Error {}

/** Parses `record` arguments (everything after `windock record`). Pure. */
export function parseRecordArgs(args: string[]): RecordArgs {
  const [action, ...rest] = args;
  if (action !== 'start' && action !== 'stop' && action !== 'status' && action !== 'list')
    throw new RecordUsageError(`say start, stop, status or list${action ? ` (not "${action}")` : ''}`);
  const parsed: Partial<RecordArgs> = { action };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const value = () => {
      const v = rest[++i];
      if (v === undefined) throw new RecordUsageError(`${arg} needs a value`);
      return v;
    };
    const startOnly = () => {
      if (action !== 'start') throw new RecordUsageError(`${arg} goes with "record start"`);
    };
    if (arg === '--host') parsed.host = value();
    else if (arg === '--stack') parsed.stack = value();
    else if (arg === '--name') {
      startOnly();
      const name = recordingName.safeParse(value());
      if (!name.success) throw new RecordUsageError(`--name: ${name.error.issues[0]?.message}`);
      parsed.name = name.data;
    } else if (arg === '--fps') {
      startOnly();
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1 || n > 30)
        throw new RecordUsageError('--fps takes a whole number from 1 to 30');
      parsed.framesPerSecond = n;
    } else if (arg === '--format') {
      startOnly();
      const format = recordingFormat.safeParse(value());
      if (!format.success) throw new RecordUsageError('--format is webm or mp4');
      parsed.format = format.data;
    } else if (arg.startsWith('-')) throw new RecordUsageError(`unknown option ${arg}`);
    else if (parsed.vm === undefined) parsed.vm = arg;
    else throw new RecordUsageError(`unexpected argument "${arg}"`);
  }
  if (!parsed.vm) throw new RecordUsageError('name the VM');
  return parsed as RecordArgs;
}

/** Runs `windock record ...`; prints the answer as JSON. Returns the exit code. */
export async function record(args: RecordArgs): Promise<number> {
  const target = await resolveVm(args.vm, args);
  const docker = sharedHostPool().get(target.host);
  await requireVmContainer(docker, target);
  const ref = { docker, container: target.container };
  const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  switch (args.action) {
    case 'start':
      print(
        await startRecording(ref, {
          ...(args.name ? { name: args.name } : {}),
          ...(args.framesPerSecond ? { framesPerSecond: args.framesPerSecond } : {}),
          ...(args.format ? { format: args.format } : {}),
        }),
      );
      break;
    case 'stop':
      print(await stopRecording(ref));
      break;
    case 'status':
      print(await recordingStatus(ref));
      break;
    case 'list':
      print(await listRecordings(ref));
      break;
  }
  return 0;
}
