import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type VmSpec } from '../../../contract';
import { readSecret } from '../secrets/store';
import { EXIT, SupervisorError } from '../exit-codes';
import { SAMBA_DIR, SMB_CONF, sambaPlan, smbInterfaces, type FolderOwner } from './smb-conf';

const CAP_SETGID = 6;
const CAP_SETUID = 7;

/** Whether this process holds a capability in its effective set (/proc/self/status CapEff). */
export function hasCapability(bit: number, status = readFileSync('/proc/self/status', 'utf8')): boolean {
  const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  return hex !== undefined && (BigInt(`0x${hex}`) & (1n << BigInt(bit))) !== 0n;
}

function fail(message: string): never {
  throw new SupervisorError(message, EXIT.HELPERS, 'shares');
}

/** Adds account lines to /etc/passwd or /etc/group unless the same account is there already. */
function ensureAccounts(file: string, lines: string[]): void {
  const present = readFileSync(file, 'utf8').split('\n');
  for (const line of lines) {
    const name = line.split(':')[0]!;
    const existing = present.find((l) => l.split(':')[0] === name);
    if (existing === line) continue;
    if (existing) fail(`the account "${name}" exists in the image with other ids: choose another share user`);
    appendFileSync(file, `${line}\n`);
  }
}

/** Feeds the password twice on stdin (never argv, never env). */
function setPassword(user: string, password: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('smbpasswd', ['-c', SMB_CONF, '-s', '-a', user], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`smbpasswd failed (${code}): ${stderr.trim().slice(-500)}`)),
    );
    child.stdin!.end(`${password}\n${password}\n`);
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function logTail(): string {
  const file = join(SAMBA_DIR, 'smbd.log');
  return existsSync(file) ? readFileSync(file, 'utf8').slice(-1500) : '';
}

/**
 * smbd keeps only the capabilities it needs (SETGID, and SETUID when the container has it):
 * in NAT mode the container also holds NET_ADMIN and NET_RAW, which smbd must not. capsh sets
 * the set before exec, and no-new-privileges keeps it from growing across exec. Pure.
 */
export function smbdCommand(canSetUid: boolean): { file: string; args: string[] } {
  const caps = canSetUid ? 'cap_setgid,cap_setuid+ep' : 'cap_setgid+ep';
  return {
    file: 'capsh',
    args: [
      `--caps=${caps}`,
      '--shell=/usr/sbin/smbd',
      '--',
      '--foreground',
      '--no-process-group',
      '-s',
      SMB_CONF,
    ],
  };
}

export interface SmbServer {
  stop(): Promise<void>;
}

/**
 * Starts smbd for the spec's shares (before QEMU, so the guest finds them at boot) and waits
 * until it accepts connections. Nothing when the spec has no shares.
 */
export async function startSmbd(spec: VmSpec, log: (line: string) => void): Promise<SmbServer | undefined> {
  const shares = spec.shares;
  if (!shares) return undefined;
  if (!hasCapability(CAP_SETGID))
    fail('smbd needs CAP_SETGID: the container was not made by the windock provider for a VM with shares');
  const owners: Record<string, FolderOwner> = {};
  for (const share of shares.shares) {
    try {
      const stat = statSync(share.path);
      if (!stat.isDirectory()) fail(`share "${share.name}": ${share.path} is not a folder`);
      owners[share.path] = { uid: stat.uid, gid: stat.gid };
    } catch (error) {
      if (error instanceof SupervisorError) throw error;
      fail(`share "${share.name}": ${share.path} is missing (its host folder or volume was not mounted)`);
    }
  }
  const canSetUid = hasCapability(CAP_SETUID);
  const plan = sambaPlan(shares, spec.network, { owners, canSetUid });
  for (const dir of ['', 'private', 'state', 'cache', 'lock', 'ncalrpc', 'bind-dns'])
    mkdirSync(join(SAMBA_DIR, dir), { recursive: true, mode: 0o700 });
  writeFileSync(SMB_CONF, plan.conf, { mode: 0o600 });
  ensureAccounts('/etc/passwd', plan.passwd);
  ensureAccounts('/etc/group', plan.group);
  if (plan.user && shares.auth.kind === 'user') {
    const password = readSecret(shares.auth.secret).trim();
    if (!password) fail(`the share password file ${shares.auth.secret} is empty`);
    await setPassword(plan.user, password).catch((error: Error) => fail(error.message));
  }

  const launch = smbdCommand(canSetUid);
  const smbd: ChildProcess = spawn(launch.file, launch.args, { stdio: ['ignore', 'inherit', 'inherit'] });
  let exited: number | null = null;
  smbd.on('exit', (code, signal) => (exited = code ?? (signal ? 128 : 1)));
  smbd.on('error', () => (exited = 127));
  const deadline = Date.now() + 15_000;
  while (!(await portOpen(445))) {
    if (exited !== null) fail(`smbd exited (${exited}) before serving: ${logTail()}`);
    if (Date.now() > deadline) {
      smbd.kill('SIGKILL');
      fail(`smbd did not listen on port 445 within 15 s: ${logTail()}`);
    }
    await sleep(100);
  }
  log(
    `smb: serving ${shares.shares.map((s) => `${s.name}${s.readOnly ? ' (read-only)' : ''}`).join(', ')} ` +
      `on ${smbInterfaces(spec.network).join(', ')} (${shares.auth.kind === 'guest' ? 'guest access' : `user ${plan.user}`})`,
  );
  return {
    async stop() {
      if (exited !== null) return;
      const gone = new Promise<void>((resolve) => smbd.once('exit', () => resolve()));
      smbd.kill('SIGTERM');
      await Promise.race([gone, sleep(5000)]);
      if (exited === null) smbd.kill('SIGKILL');
    },
  };
}
