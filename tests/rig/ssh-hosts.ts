// Test rig: n "remote" Docker hosts on this machine, each its own Docker engine reached over its own
// sshd on a loopback address (see /work/shared/notes/hosts.md).
//
//   const rig = await startSshHosts(2);
//   try { pool.get(rig.hosts[0].config) ... } finally { await rig.stopAll(); }
//
// Per host N (1-based):
//   bridge br-wdkN (10.231.N.1/24; never `--bridge none`, which makes dockerd delete docker0), dockerd --data-root /var/lib/windock-test/hN/docker
//     --exec-root /run/windock-test/hN/exec -H unix:///run/windock-test-hN.sock --bridge br-wdkN
//     --iptables=false --group wdkhN
//   user wdkhN (account unlocked with `usermod -p '*'`, owns the engine socket through its group)
//   sshd on 127.0.0.(N+1):(2202+10N) with its own ed25519 host key, PasswordAuthentication no,
//     UsePAM no, SetEnv DOCKER_HOST=unix:///run/windock-test-hN.sock, an authorized client key.
// Everything started is recorded (pids, bridges, users, dirs) under /var/lib/windock-test, so a later
// run cleans up what a crashed one left. One rig at a time on a machine: a lock file serializes users.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SshHostConfig } from '../../provider/hosts/host-config';

export const RIG_DATA = '/var/lib/windock-test';
export const RIG_RUN = '/run/windock-test';
const STATE_FILE = path.join(RIG_DATA, 'rig-state.json');
const LOCK_FILE = path.join(RIG_DATA, 'rig.lock');
export const BUSYBOX_TAG = 'windock-test-busybox:1';

// ---- small process helpers -----------------------------------------------------------------------------

function run(cmd: string, args: string[], opts: { allowFail?: boolean; input?: string } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input: opts.input, timeout: 120_000 });
  if (r.status !== 0 && !opts.allowFail) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
  }
  return r.stdout ?? '';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie is not alive for our purposes.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      // gone
    }
  }
  return out;
}

function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childrenOf(all[i] as number));
  return all;
}

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const p of pids) {
    try {
      process.kill(p, sig);
    } catch {
      // gone
    }
  }
}

async function waitGone(pids: number[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && pids.some(pidAlive)) await sleep(50);
}

/**
 * Stops a process we recorded and its descendants, only if its command line still contains `mustContain`
 * (so a recycled pid is never hit). `graceful`: SIGTERM to the process alone first (dockerd shuts its
 * containers down), then the rest. Otherwise the whole tree at once (an sshd with its sessions: a crash).
 */
export async function killRecorded(
  pid: number | undefined,
  mustContain: string,
  graceMs = 5000,
  graceful = true,
): Promise<void> {
  if (!pid || !pidAlive(pid) || !cmdline(pid).includes(mustContain)) return;
  const tree = processTree(pid);
  if (graceful) {
    signal([pid], 'SIGTERM');
    await waitGone([pid], graceMs);
    signal(tree.filter(pidAlive), 'SIGTERM');
    await waitGone(tree, 2000);
  } else {
    signal(tree, 'SIGKILL');
  }
  signal(tree.filter(pidAlive), 'SIGKILL');
  await waitGone(tree, 5000);
}

/** Processes left by an earlier crashed run whose command line names one of our unique rig paths. */
function leftoverPids(marker: string): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    if (cmdline(Number(d)).includes(marker)) out.push(Number(d));
  }
  return out;
}

function readPid(file: string): number | undefined {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 1 ? n : undefined;
  } catch {
    return undefined;
  }
}

function unmountUnder(dir: string): void {
  let lines: string[];
  try {
    lines = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
  } catch {
    return;
  }
  const points = lines
    .map((l) => l.split(' ')[4])
    .filter((p): p is string => !!p && (p === dir || p.startsWith(dir + '/')))
    .sort((a, b) => b.length - a.length);
  for (const p of points) run('umount', ['-l', p], { allowFail: true });
}

function logTail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---- state (what we started) and the lock --------------------------------------------------------------

interface RecordedHost {
  index: number;
  dockerdPid?: number;
  sshdPid?: number;
}
interface RigState {
  hosts: Record<string, RecordedHost>;
  dockerds: Record<string, { pid: number; marker: string; bridge?: string }>;
}

function readState(): RigState {
  try {
    const s = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as Partial<RigState>;
    return { hosts: s.hosts ?? {}, dockerds: s.dockerds ?? {} };
  } catch {
    return { hosts: {}, dockerds: {} };
  }
}

function writeState(mutate: (s: RigState) => void): void {
  fs.mkdirSync(RIG_DATA, { recursive: true, mode: 0o755 });
  const s = readState();
  mutate(s);
  fs.writeFileSync(STATE_FILE, JSON.stringify(s, null, 2));
}

let lockDepth = 0;

/**
 * Serializes rig users on this machine (other checkouts may run the same tests). Re-entrant within a
 * process; a lock left by a dead process is taken over.
 */
export async function acquireRigLock(timeoutMs = 180_000): Promise<void> {
  fs.mkdirSync(RIG_DATA, { recursive: true, mode: 0o755 });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.writeFileSync(LOCK_FILE, String(process.pid), { flag: 'wx' });
      lockDepth = 1;
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readPid(LOCK_FILE);
    if (owner === process.pid) {
      lockDepth++;
      return;
    }
    if (!owner || !pidAlive(owner)) {
      fs.rmSync(LOCK_FILE, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`test rig is in use by pid ${owner} (${LOCK_FILE}); waited ${timeoutMs} ms`);
    }
    await sleep(500);
  }
}

export function releaseRigLock(): void {
  if (lockDepth === 0) return;
  lockDepth--;
  if (lockDepth === 0 && readPid(LOCK_FILE) === process.pid) fs.rmSync(LOCK_FILE, { force: true });
}

// ---- a Docker engine beside the default one ------------------------------------------------------------

export interface TestDockerd {
  name: string;
  pid: number;
  dataRoot: string;
  execRoot: string;
  log: string;
  stop(): Promise<void>;
}

export interface StartDockerdOptions {
  /** Unique short name; dirs are /var/lib/windock-test/<name>/docker and /run/windock-test/<name>/exec. */
  name: string;
  /** -H values, e.g. ['unix:///run/x.sock'] or ['tcp://127.0.0.1:23760']. */
  hosts: string[];
  /**
   * The engine's own bridge (created here, removed on stop). Never `--bridge none`: dockerd then DELETES
   * the host's docker0, breaking the default engine every other test uses.
   */
  bridge: { name: string; cidr: string };
  /** More dockerd flags (--tlsverify ...). */
  args?: string[];
  /** Resolves true once the engine answers. */
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
}

function dockerdDirs(name: string) {
  const base = path.join(RIG_DATA, name);
  const runBase = path.join(RIG_RUN, name);
  return {
    base,
    runBase,
    dataRoot: path.join(base, 'docker'),
    execRoot: path.join(runBase, 'exec'),
    pidfile: path.join(runBase, 'dockerd.pid'),
    log: path.join(base, 'dockerd.log'),
  };
}

async function stopDockerdByName(name: string, recordedPid?: number, bridge?: string): Promise<void> {
  const d = dockerdDirs(name);
  const marker = d.execRoot;
  for (const pid of [recordedPid, readPid(d.pidfile)]) await killRecorded(pid, marker, 20_000);
  // Leftovers of a crashed run (containerd, shims) carry our unique exec-root in their command line.
  for (const pid of leftoverPids(marker)) await killRecorded(pid, marker, 2000, false);
  unmountUnder(d.execRoot);
  unmountUnder(d.dataRoot);
  for (const p of [d.dataRoot, d.execRoot, d.pidfile, d.log]) fs.rmSync(p, { recursive: true, force: true });
  if (bridge) run('ip', ['link', 'del', bridge], { allowFail: true });
  for (const dir of [d.base, d.runBase]) {
    try {
      fs.rmdirSync(dir); // only if empty: an SSH host keeps its other files there
    } catch {
      // not empty or not there
    }
  }
  writeState((s) => delete s.dockerds[name]);
}

export async function startDockerd(opts: StartDockerdOptions): Promise<TestDockerd> {
  const d = dockerdDirs(opts.name);
  const extra = opts.args ?? [];
  if (!/^br-wdk[a-z0-9]{1,9}$/.test(opts.bridge.name)) {
    throw new Error(`test engine bridge must be named br-wdk<id>, got ${opts.bridge.name}`);
  }
  if (extra.some((a) => /^(-b|--bridge)(=|$)/.test(a))) {
    throw new Error('pass the bridge as opts.bridge (never --bridge none: it deletes docker0)');
  }
  const hadDocker0 = fs.existsSync('/sys/class/net/docker0');
  const old = readState().dockerds[opts.name];
  await stopDockerdByName(opts.name, old?.pid, old?.bridge ?? opts.bridge.name);
  run('ip', ['link', 'add', opts.bridge.name, 'type', 'bridge']);
  run('ip', ['addr', 'add', opts.bridge.cidr, 'dev', opts.bridge.name]);
  run('ip', ['link', 'set', opts.bridge.name, 'up']);
  writeState((s) => {
    s.dockerds[opts.name] = { pid: 0, marker: d.execRoot, bridge: opts.bridge.name };
  });
  fs.mkdirSync(d.dataRoot, { recursive: true, mode: 0o711 });
  fs.mkdirSync(d.execRoot, { recursive: true, mode: 0o700 });
  const args = [
    '--data-root',
    d.dataRoot,
    '--exec-root',
    d.execRoot,
    '--pidfile',
    d.pidfile,
    ...opts.hosts.flatMap((h) => ['-H', h]),
    '--bridge',
    opts.bridge.name,
    '--iptables=false',
    '--ip-masq=false',
    // No --default-address-pool: dockerd 20.10 restarted on a data root with such a pool deletes
    // the host's docker0 (tried: the reliability suite's engine restart broke the default engine).
    // Test engines prune their networks when they stop instead, so their bridges do not pile up.
    ...extra,
  ];
  const logFd = fs.openSync(d.log, 'a');
  const child: ChildProcess = spawn('dockerd', args, { detached: true, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  child.on('error', () => undefined);
  child.unref();
  const pid = child.pid;
  if (!pid) throw new Error(`cannot start dockerd for ${opts.name}`);
  writeState((s) => {
    s.dockerds[opts.name] = { pid, marker: d.execRoot, bridge: opts.bridge.name };
  });
  const stop = () => stopDockerdByName(opts.name, pid, opts.bridge.name);
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (await opts.ready().catch(() => false)) break;
    if (!pidAlive(pid) || Date.now() > deadline) {
      const tail = logTail(d.log);
      await stop();
      throw new Error(`dockerd ${opts.name} did not come up:\n${tail}`);
    }
    await sleep(200);
  }
  if (hadDocker0 && !fs.existsSync('/sys/class/net/docker0')) {
    await stop();
    throw new Error(`starting test engine ${opts.name} removed docker0: the default engine is broken now`);
  }
  return { name: opts.name, pid, dataRoot: d.dataRoot, execRoot: d.execRoot, log: d.log, stop };
}

/** True when a Docker engine answers GET /_ping on the unix socket. */
export function pingUnixSocket(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_ping', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

// ---- SSH hosts -----------------------------------------------------------------------------------------

export interface SshTestHost {
  index: number;
  /** Host name in the HostConfig, "h<N>" (with the prefix given). */
  name: string;
  /** How to reach it through windock: ssh, pinned fingerprint (from `ssh-keygen -lf`), client key file. */
  config: SshHostConfig;
  /** The engine's unix socket on this machine (for direct checks, bypassing SSH). */
  socketPath: string;
  user: string;
  sshHost: string;
  sshPort: number;
  bridge: string;
  /** `ssh-keygen -lf` of the host key, e.g. "SHA256:..." */
  hostKeyFingerprint: string;
  /** The host public key line ("ssh-ed25519 AAAA..."), for known_hosts files. */
  hostPublicKey: string;
  clientKeyFile: string;
  sshdLog: string;
  dockerdLog: string;
  /** sshd's log so far (LogLevel VERBOSE: connections, accepted keys, sessions). */
  sshdLogText(): string;
  /** Kills sshd with all its sessions (existing connections drop). */
  killSshd(): Promise<void>;
  /** Starts sshd again (same key, address, port). */
  startSshd(): Promise<void>;
  sshdRunning(): boolean;
  /** Stops this host: sshd, dockerd, bridge, user, dirs. */
  stop(): Promise<void>;
}

export interface SshHostsRig {
  hosts: SshTestHost[];
  stopAll(): Promise<void>;
}

export interface StartSshHostsOptions {
  /** Host names are `${namePrefix}${N}`; default "h". */
  namePrefix?: string;
  /** Image (already on the default engine) to copy into every host, e.g. BUSYBOX_TAG. */
  images?: string[];
  /** sshd MaxSessions (channels per connection); default sshd's 10. */
  maxSessions?: number;
  /** `AllowTcpForwarding local` (windock console/rdp tunnels); default no, as a locked-down host. */
  allowTcpForwarding?: boolean;
  lockTimeoutMs?: number;
}

function hostPaths(n: number) {
  const dd = dockerdDirs(`h${n}`);
  const sshDir = path.join(dd.base, 'ssh');
  return {
    ...dd,
    socketPath: `/run/windock-test-h${n}.sock`,
    bridge: `br-wdk${n}`,
    bridgeAddr: `10.231.${n}.1/24`,
    user: `wdkh${n}`,
    home: path.join(dd.base, 'home'),
    sshDir,
    sshdConfig: path.join(sshDir, 'sshd_config'),
    sshdPidfile: path.join(dd.runBase, 'sshd.pid'),
    sshdLog: path.join(dd.base, 'sshd.log'),
    hostKey: path.join(sshDir, 'ssh_host_ed25519_key'),
    clientKey: path.join(sshDir, 'client_key'),
    authorizedKeys: path.join(sshDir, 'authorized_keys'),
    sshHost: `127.0.0.${n + 1}`,
    sshPort: 2202 + 10 * n,
  };
}

function userExists(user: string): boolean {
  return spawnSync('id', ['-u', user]).status === 0;
}

async function cleanupHost(n: number): Promise<void> {
  const p = hostPaths(n);
  const rec = readState().hosts[`h${n}`];
  for (const pid of [rec?.sshdPid, readPid(p.sshdPidfile)]) await killRecorded(pid, p.sshdConfig, 0, false);
  for (const pid of leftoverPids(p.sshdConfig)) await killRecorded(pid, p.sshdConfig, 0, false);
  // Remove the engine's containers first: its shutdown then waits for no stop timeouts.
  if (await pingUnixSocket(p.socketPath)) {
    const ids = run('docker', [...dockerCli(p.socketPath), 'ps', '-aq'], { allowFail: true })
      .split(/\s+/)
      .filter(Boolean);
    if (ids.length) run('docker', [...dockerCli(p.socketPath), 'rm', '-f', ...ids], { allowFail: true });
    // And its networks: dockerd leaves their br-<id> bridges behind when it stops with them, and
    // leaked bridges soon hold every default address pool of the machine's own engine.
    run('docker', [...dockerCli(p.socketPath), 'network', 'prune', '-f'], { allowFail: true });
  }
  await stopDockerdByName(`h${n}`, rec?.dockerdPid, p.bridge);
  fs.rmSync(p.socketPath, { force: true });
  if (userExists(p.user)) run('userdel', ['-f', p.user], { allowFail: true });
  run('groupdel', [p.user], { allowFail: true });
  fs.rmSync(p.base, { recursive: true, force: true });
  fs.rmSync(p.runBase, { recursive: true, force: true });
  writeState((s) => delete s.hosts[`h${n}`]);
}

function waitForSshBanner(host: string, port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const once = () =>
    new Promise<boolean>((resolve) => {
      const s = net.connect({ host, port });
      s.setTimeout(1000);
      s.once('data', (d) => {
        s.destroy();
        resolve(d.toString().startsWith('SSH-'));
      });
      s.once('error', () => resolve(false));
      s.once('timeout', () => {
        s.destroy();
        resolve(false);
      });
    });
  return (async () => {
    while (Date.now() < deadline) {
      if (await once()) return true;
      await sleep(100);
    }
    return false;
  })();
}

async function startSshdFor(n: number): Promise<number> {
  const p = hostPaths(n);
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const logFd = fs.openSync(p.sshdLog, 'a');
  const child = spawn('/usr/sbin/sshd', ['-D', '-E', p.sshdLog, '-f', p.sshdConfig], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);
  child.on('error', () => undefined);
  child.unref();
  const pid = child.pid;
  if (!pid) throw new Error(`cannot start sshd for h${n}`);
  writeState((s) => {
    s.hosts[`h${n}`] = { ...(s.hosts[`h${n}`] ?? { index: n }), sshdPid: pid };
  });
  if (!(await waitForSshBanner(p.sshHost, p.sshPort, 15_000))) {
    throw new Error(`sshd for h${n} did not come up on ${p.sshHost}:${p.sshPort}:\n${logTail(p.sshdLog)}`);
  }
  return pid;
}

async function startHost(n: number, opts: StartSshHostsOptions): Promise<SshTestHost> {
  const p = hostPaths(n);
  await cleanupHost(n);
  fs.mkdirSync(p.sshDir, { recursive: true, mode: 0o755 });
  fs.mkdirSync(p.runBase, { recursive: true, mode: 0o755 });
  fs.chmodSync(RIG_DATA, 0o755);
  fs.chmodSync(p.base, 0o755);
  writeState((s) => {
    s.hosts[`h${n}`] = { index: n };
  });

  // user: a locked account (password field "!") is refused by sshd even with UsePAM no
  run('useradd', ['-m', '-d', p.home, '-s', '/bin/sh', '-U', p.user]);
  run('usermod', ['-p', '*', p.user]);

  // keys
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `windock-test-h${n}`, '-f', p.hostKey]);
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `windock-test-client-h${n}`, '-f', p.clientKey]);
  fs.copyFileSync(`${p.clientKey}.pub`, p.authorizedKeys);
  fs.chmodSync(p.authorizedKeys, 0o644);
  const hostKeyFingerprint = run('ssh-keygen', ['-lf', `${p.hostKey}.pub`]).split(/\s+/)[1] as string;
  const hostPublicKey = fs.readFileSync(`${p.hostKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');

  // bridge + engine (socket group = the host's user, so each user reaches only its own engine)
  const dockerd = await startDockerd({
    name: `h${n}`,
    hosts: [`unix://${p.socketPath}`],
    bridge: { name: p.bridge, cidr: p.bridgeAddr },
    args: ['--group', p.user],
    ready: () => pingUnixSocket(p.socketPath),
  });
  writeState((s) => {
    s.hosts[`h${n}`] = { ...(s.hosts[`h${n}`] ?? { index: n }), dockerdPid: dockerd.pid };
  });

  fs.writeFileSync(
    p.sshdConfig,
    [
      `ListenAddress ${p.sshHost}:${p.sshPort}`,
      `HostKey ${p.hostKey}`,
      `PidFile ${p.sshdPidfile}`,
      `AuthorizedKeysFile ${p.authorizedKeys}`,
      `AllowUsers ${p.user}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'PermitRootLogin no',
      'X11Forwarding no',
      `AllowTcpForwarding ${opts.allowTcpForwarding ? 'local' : 'no'}`,
      'AllowAgentForwarding no',
      'PrintMotd no',
      'LogLevel VERBOSE',
      `MaxSessions ${opts.maxSessions ?? 10}`,
      `SetEnv DOCKER_HOST=unix://${p.socketPath}`,
      '',
    ].join('\n'),
  );
  run('/usr/sbin/sshd', ['-t', '-f', p.sshdConfig]);
  await startSshdFor(n);

  for (const image of opts.images ?? []) await copyImage('/var/run/docker.sock', p.socketPath, image);

  const name = `${opts.namePrefix ?? 'h'}${n}`;
  const host: SshTestHost = {
    index: n,
    name,
    config: {
      name,
      kind: 'ssh',
      host: p.sshHost,
      port: p.sshPort,
      user: p.user,
      hostKey: { fingerprint: hostKeyFingerprint },
      auth: { privateKeyFile: p.clientKey },
    },
    socketPath: p.socketPath,
    user: p.user,
    sshHost: p.sshHost,
    sshPort: p.sshPort,
    bridge: p.bridge,
    hostKeyFingerprint,
    hostPublicKey,
    clientKeyFile: p.clientKey,
    sshdLog: p.sshdLog,
    dockerdLog: dockerd.log,
    sshdLogText: () => {
      try {
        return fs.readFileSync(p.sshdLog, 'utf8');
      } catch {
        return '';
      }
    },
    killSshd: async () => {
      const rec = readState().hosts[`h${n}`];
      await killRecorded(rec?.sshdPid, p.sshdConfig, 0, false);
    },
    startSshd: async () => {
      await startSshdFor(n);
    },
    sshdRunning: () => {
      const pid = readState().hosts[`h${n}`]?.sshdPid;
      return !!pid && pidAlive(pid) && cmdline(pid).includes(p.sshdConfig);
    },
    stop: () => cleanupHost(n),
  };
  return host;
}

/**
 * Starts n SSH-reachable Docker hosts (h1..hn). Cleans leftovers of earlier runs first. Call
 * `stopAll()` in afterAll (it is safe to call twice, and after a failed start).
 */
export async function startSshHosts(n: number, opts: StartSshHostsOptions = {}): Promise<SshHostsRig> {
  if (process.getuid?.() !== 0) throw new Error('startSshHosts needs root (bridges, users, dockerd, sshd)');
  await acquireRigLock(opts.lockTimeoutMs);
  const hosts: SshTestHost[] = [];
  let stopped = false;
  const stopAll = async () => {
    if (stopped) return;
    stopped = true;
    try {
      await stopAllSshHosts(n);
    } finally {
      releaseRigLock();
    }
  };
  try {
    await cleanupLeftovers();
    for (let i = 1; i <= n; i++) hosts.push(await startHost(i, opts));
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
  return { hosts, stopAll };
}

/** Stops hosts 1..n and whatever else the state file records (leftovers of crashed runs). */
export async function stopAllSshHosts(n = 0): Promise<void> {
  const recorded = Object.values(readState().hosts).map((h) => h.index);
  const all = [...new Set([...recorded, ...Array.from({ length: n }, (_, i) => i + 1)])];
  const errors: unknown[] = [];
  for (const i of all) await cleanupHost(i).catch((e) => errors.push(e));
  if (errors.length) throw errors[0];
}

/** Removes everything a crashed earlier run recorded: SSH hosts and extra engines. */
export async function cleanupLeftovers(): Promise<void> {
  const s = readState();
  for (const h of Object.values(s.hosts)) await cleanupHost(h.index);
  for (const [name, d] of Object.entries(s.dockerds)) await stopDockerdByName(name, d.pid, d.bridge);
}

// ---- images --------------------------------------------------------------------------------------------

function dockerCli(socket: string): string[] {
  return ['-H', `unix://${socket}`];
}

export function imageExists(socket: string, tag: string): boolean {
  return (
    spawnSync('docker', [...dockerCli(socket), 'image', 'inspect', tag], { stdio: 'ignore' }).status === 0
  );
}

/** Copies an image between two local engines: docker save | docker load. */
export async function copyImage(fromSocket: string, toSocket: string, tag: string): Promise<void> {
  if (imageExists(toSocket, tag)) return;
  await new Promise<void>((resolve, reject) => {
    const save = spawn('docker', [...dockerCli(fromSocket), 'save', tag], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const load = spawn('docker', [...dockerCli(toSocket), 'load', '-q'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    save.stderr.on('data', (d) => (err += d));
    load.stderr.on('data', (d) => (err += d));
    load.stdout.resume();
    save.stdout.pipe(load.stdin);
    load.stdin.on('error', () => undefined);
    let saveCode: number | null = null;
    save.on('close', (c) => (saveCode = c));
    save.on('error', reject);
    load.on('error', reject);
    load.on('close', (c) =>
      c === 0 && saveCode === 0 ? resolve() : reject(new Error(`copyImage ${tag} failed: ${err.trim()}`)),
    );
  });
}

/**
 * A tiny image with a static busybox and all its applets (sh, cat, sleep, ...), imported into the engine
 * at `socket` (default: the default engine) as BUSYBOX_TAG. No registry needed.
 */
export function ensureBusyboxImage(socket = '/var/run/docker.sock', tag = BUSYBOX_TAG): string {
  if (imageExists(socket, tag)) return tag;
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((b) => fs.existsSync(b));
  const isStatic = busybox && !run('file', ['-L', busybox], { allowFail: true }).includes('dynamically');
  if (!busybox || !isStatic) {
    throw new Error(
      'no static busybox: apt-get install busybox-static (offline: apt-get download busybox-static; dpkg -x it)',
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'windock-bb-'));
  try {
    const root = path.join(dir, 'root');
    fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
    fs.mkdirSync(path.join(root, 'tmp'), { mode: 0o1777 });
    fs.mkdirSync(path.join(root, 'run'));
    fs.copyFileSync(busybox, path.join(root, 'bin', 'busybox'));
    fs.chmodSync(path.join(root, 'bin', 'busybox'), 0o755);
    for (const applet of run(busybox, ['--list']).split('\n').filter(Boolean)) {
      if (applet !== 'busybox') fs.symlinkSync('busybox', path.join(root, 'bin', applet));
    }
    const tar = path.join(dir, 'image.tar');
    execFileSync('tar', ['-C', root, '-cf', tar, '.']);
    run('docker', [...dockerCli(socket), 'import', '-c', 'CMD ["/bin/sh"]', '-c', 'ENV PATH=/bin', tar, tag]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return tag;
}
