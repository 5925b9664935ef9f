import type Dockerode from 'dockerode';
import { RUNTIME_PATHS } from '../../contract';
import { CONSOLE_TAIL_BYTES, consoleLines } from './console-tail';
import { execOutput } from '../docker/exec-output';

/** What shows a waiting guest is alive: its console output and QEMU's CPU time. */
export interface GuestActivity {
  /** The serial log's size. */
  consoleBytes: number;
  /** Its last lines, cleaned (console-tail.ts). */
  consoleTail: string[];
  /** QEMU's user + system CPU time; undefined when it cannot be read. */
  cpuSeconds?: number;
}

const SEPARATOR = '--windock-console--';
// One exec per read (a poll every 30 s, not every 0.5 s): size, QEMU's /proc stat, the tail.
const SCRIPT = `log="$1"; pid="$2"
wc -c <"$log" 2>/dev/null || echo 0
[ -n "$pid" ] && cat "/proc/$pid/stat" 2>/dev/null
echo; echo ${SEPARATOR}
tail -c ${CONSOLE_TAIL_BYTES} "$log" 2>/dev/null`;

/** utime + stime (fields 14, 15) from a /proc/PID/stat line, in seconds (USER_HZ is 100 on Linux). */
export function cpuSecondsOf(statLine: string): number | undefined {
  const fields = statLine.slice(statLine.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks / 100 : undefined;
}

export function parseGuestActivity(stdout: string): GuestActivity {
  const at = stdout.indexOf(`\n${SEPARATOR}\n`);
  const head = (at < 0 ? stdout : stdout.slice(0, at)).split('\n');
  const chunk = at < 0 ? '' : stdout.slice(at + SEPARATOR.length + 2);
  const consoleBytes = Number(head[0]) || 0;
  const stat = head.find((line) => line.includes(')'));
  return {
    consoleBytes,
    consoleTail: consoleLines(chunk, 20, consoleBytes > CONSOLE_TAIL_BYTES),
    cpuSeconds: stat ? cpuSecondsOf(stat) : undefined,
  };
}

/** Reads a running VM's activity through `docker exec`; nothing (empty) when the exec fails. */
export async function readGuestActivity(
  docker: Dockerode,
  containerId: string,
  qemuPid: number | undefined,
): Promise<GuestActivity> {
  const argv = ['sh', '-c', SCRIPT, 'activity', RUNTIME_PATHS.serialLog, qemuPid ? String(qemuPid) : ''];
  const result = await execOutput(docker, containerId, argv).catch(() => undefined);
  return result ? parseGuestActivity(result.stdout) : { consoleBytes: 0, consoleTail: [] };
}
