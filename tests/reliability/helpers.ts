// Helpers of the reliability suite: an engine run that does not block (so a fault can be
// injected while `pulumi up` runs), guest data checksums through the guest agent, and leak
// counters (containers, volumes, SSH sessions and connections).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type Dockerode from 'dockerode';
import type { EngineCommand, EngineRun, PulumiRig } from '../rig/pulumi';
import { guestSh } from '../rig/guest-shell';

const REPO = resolve(__dirname, '..', '..');
export const PROGRAM = join(REPO, 'tests', 'pulumi', 'programs', 'reliability.js');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An engine run in the background, so the test can inject faults meanwhile. */
export function runAsync(
  rig: PulumiRig,
  command: EngineCommand,
  config: Record<string, unknown>,
  timeoutMs = 420_000,
): Promise<EngineRun> {
  return rig.runAsync(command, config, timeoutMs);
}

export async function ok(
  rig: PulumiRig,
  command: 'up' | 'preview' | 'refresh' | 'destroy',
  config: Record<string, unknown>,
): Promise<EngineRun> {
  const run = await runAsync(rig, command, config);
  if (run.status !== 0) throw new Error(`pulumi ${command} failed:\n${run.output.slice(-6000)}`);
  return run;
}

/** Polls until `cond` is true; throws after `timeoutMs`. */
export async function waitFor(
  what: string,
  cond: () => Promise<boolean> | boolean,
  timeoutMs: number,
  everyMs = 100,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await Promise.resolve(cond()).catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export { guestSh };

export async function waitForAgent(docker: Dockerode, container: string, timeoutMs = 180_000): Promise<void> {
  await waitFor(
    `the guest agent of ${container}`,
    async () => (await guestSh(docker, container, 'echo up')) === 'up',
    timeoutMs,
    1000,
  );
}

export const DATA_FILE = '/mnt/disk/reliability.bin';

/** Writes 2 MiB of random data to the guest's disk, synced, and returns its SHA-256. */
export async function writeGuestData(docker: Dockerode, container: string): Promise<string> {
  return guestSh(
    docker,
    container,
    `dd if=/dev/urandom of=${DATA_FILE} bs=64k count=32 2>/dev/null && sync && sha256sum ${DATA_FILE} | cut -d' ' -f1`,
  );
}

/** The file's SHA-256 now ('' when it is gone). */
export async function guestDataSum(docker: Dockerode, container: string): Promise<string> {
  return guestSh(docker, container, `[ -f ${DATA_FILE} ] && sha256sum ${DATA_FILE} | cut -d' ' -f1 || true`);
}

/** Containers and volumes on an engine whose name contains `part`. */
export async function windockObjects(
  docker: Dockerode,
  part: string,
): Promise<{ containers: string[]; volumes: string[] }> {
  const containers = (await docker.listContainers({ all: true }))
    .flatMap((c) => c.Names)
    .filter((n) => n.includes(part));
  const volumes = ((await docker.listVolumes()).Volumes ?? [])
    .map((v) => v.Name)
    .filter((n) => n.includes(part));
  return { containers, volumes };
}

/** Host PIDs of processes in a container whose command starts with `prefix`. */
export async function containerPids(docker: Dockerode, container: string, prefix: string): Promise<number[]> {
  const top = await docker.getContainer(container).top({ ps_args: '-o pid,args' });
  const pidCol = top.Titles.findIndex((t: string) => t.toUpperCase() === 'PID');
  const argsCol = top.Titles.length - 1;
  return ((top.Processes ?? []) as string[][])
    .filter((p) => (p[argsCol] ?? '').startsWith(prefix))
    .map((p) => Number(p[pidCol]));
}

/** Runs a command in a container and returns its stdout (demultiplexed). */
export async function execText(docker: Dockerode, container: string, cmd: string[]): Promise<string> {
  const exec = await docker
    .getContainer(container)
    .exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  const raw = await new Promise<Buffer>((done) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => done(Buffer.concat(chunks)));
  });
  const out: Buffer[] = [];
  for (let o = 0; o + 8 <= raw.length;) {
    const size = raw.readUInt32BE(o + 4);
    if (raw[o] === 1) out.push(raw.subarray(o + 8, o + 8 + size));
    o += 8 + size;
  }
  return Buffer.concat(out).toString('utf8');
}

const DOCKER_EMBEDDED_DNS = '0B00007F';

/** TCP ports listening inside a container (from /proc/net/tcp and tcp6). */
export async function listeningTcpPorts(docker: Dockerode, container: string): Promise<number[]> {
  const text = await execText(docker, container, ['cat', '/proc/net/tcp', '/proc/net/tcp6']);
  const ports = new Set<number>();
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 4 || cols[3] !== '0A') continue; // 0A: LISTEN
    const [address, port] = cols[1]!.split(':');
    // Docker's embedded DNS server on user-defined networks (0-windock-isolated): dockerd listens
    // at 127.0.0.11 (0B00007F) on a random port inside the container's namespace; not ours.
    if (address === DOCKER_EMBEDDED_DNS) continue;
    ports.add(parseInt(port!, 16));
  }
  return [...ports].sort((a, b) => a - b);
}

/** Every process's command line on this machine (what `ps -ef` shows). */
export function allCommandLines(): string {
  const out: string[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      out.push(readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      // gone
    }
  }
  return out.join('\n') + '\n' + spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
}

/** Established TCP connections to a local address:port (the sshd of a test host). */
export function establishedTo(host: string, port: number): number {
  const r = spawnSync(
    'ss',
    ['-Htn', 'state', 'established', `( dst ${host}:${port} or src ${host}:${port} )`],
    {
      encoding: 'utf8',
    },
  );
  return r.stdout.split('\n').filter((l) => l.trim()).length;
}

/** sshd session processes (children of the listening sshd) of one test host. */
export function sshdSessions(sshdPidfile: string): number {
  let pid: number;
  try {
    pid = Number(readFileSync(sshdPidfile, 'utf8').trim());
  } catch {
    return 0;
  }
  let n = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) n++;
    } catch {
      // gone
    }
  }
  return n;
}
