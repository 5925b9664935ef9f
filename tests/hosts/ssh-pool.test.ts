// HostPool over SSH against two real "remote" hosts from the rig (own dockerd + own sshd each, loopback).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Dockerode from 'dockerode';
import { openExecStream } from '../../provider/docker/exec-stream';
import {
  HostAuthError,
  HostKeyMismatchError,
  HostPool,
  HostUnreachableError,
  fingerprintOfPublicKeyLine,
  hashKnownHostsName,
} from '../../provider/hosts';
import type { SshHostConfig } from '../../provider/hosts';
import { BUSYBOX_TAG, ensureBusyboxImage, startSshHosts } from '../rig/ssh-hosts';
import type { SshHostsRig, SshTestHost } from '../rig/ssh-hosts';

let rig: SshHostsRig | undefined;
const pool = new HostPool({ ssh: { connectTimeoutMs: 10_000 } });
let tmp: string;
let h1: SshTestHost;
let h2: SshTestHost;

const count = (text: string, re: RegExp) => (text.match(new RegExp(re.source, 'gm')) ?? []).length;

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'windock-ssh-pool-'));
  ensureBusyboxImage();
  rig = await startSshHosts(2, { images: [BUSYBOX_TAG] });
  [h1, h2] = rig.hosts as [SshTestHost, SshTestHost];
}, 290_000);

afterAll(async () => {
  await pool.closeAll().catch(() => undefined);
  await rig?.stopAll();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}, 120_000);

test('our fingerprint of the host key is what ssh-keygen -lf prints (the rig pins the latter)', () => {
  for (const h of [h1, h2]) expect(fingerprintOfPublicKeyLine(h.hostPublicKey)).toBe(h.hostKeyFingerprint);
});

test('pings both hosts through the pool; 20 warm calls reuse ONE ssh connection', async () => {
  for (const h of [h1, h2]) {
    const docker = pool.get(h.config);
    expect(pool.get(h.config)).toBe(docker);
    expect(pool.get(JSON.parse(JSON.stringify(h.config)) as SshHostConfig)).toBe(docker);

    const cold = await pool.ping(h.name);
    const warm: number[] = [];
    for (let i = 0; i < 20; i++) warm.push((await pool.ping(h.name)).ms);
    warm.sort((a, b) => a - b);
    const median = warm[10] as number;
    const mean = warm.reduce((a, b) => a + b, 0) / warm.length;
    console.log(
      `${h.name}: cold ping ${cold.ms.toFixed(1)} ms; 20 warm pings median ${median.toFixed(2)} ms, ` +
        `mean ${mean.toFixed(2)} ms, min ${warm[0]!.toFixed(2)} ms, max ${warm[19]!.toFixed(2)} ms`,
    );

    const stats = pool.stats(h.name);
    expect(stats.connects).toBe(1);
    expect(stats.ready).toBe(1);
    expect(stats.authAttempts).toBe(1);
    expect(stats.channelsOpened).toBeLessThanOrEqual(4);
    // and the server agrees: one accepted login for these 21 calls
    const log = h.sshdLogText();
    expect(count(log, /Accepted publickey for /)).toBe(1);
  }
});

test('a wrong pinned fingerprint is refused with HostKeyMismatchError, before anything is sent', async () => {
  const logBefore = h1.sshdLogText().length;
  const wrong = 'SHA256:' + randomBytes(32).toString('base64').replace(/=+$/, '');
  const config: SshHostConfig = { ...h1.config, name: 'h1-wrong-pin', hostKey: { fingerprint: wrong } };
  const strategy = pool.strategyFor(config);
  const err = await strategy.docker.ping().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HostKeyMismatchError);
  const e = err as HostKeyMismatchError;
  expect(e.host).toBe('h1-wrong-pin');
  expect(e.presented).toContain(h1.hostKeyFingerprint);
  expect(e.expected).toEqual([wrong]);
  expect(e.message).toContain(h1.hostKeyFingerprint);
  expect(e.message).toContain(wrong);
  expect(e.message).toContain('h1-wrong-pin');
  expect(e.message).toMatch(/update hostKey\.fingerprint/);
  console.log(`refusal message: ${e.message}`);

  const stats = strategy.stats();
  expect(stats.authAttempts).toBe(0);
  expect(stats.ready).toBe(0);
  expect(stats.channelsOpened).toBe(0);
  expect(stats.hostKeyRejections).toBeGreaterThanOrEqual(1);
  // sshd saw connections, but no user and no key: nothing was authenticated or sent
  const log = h1.sshdLogText().slice(logBefore);
  expect(count(log, /^Connection from /)).toBeGreaterThanOrEqual(1);
  expect(log).not.toMatch(/publickey|Accepted|Starting session|Invalid user|wdkh1/);
  await pool.close('h1-wrong-pin');
});

test('a known_hosts file works: plain [host]:port and hashed entries; unknown and changed keys are refused', async () => {
  const kh = path.join(tmp, 'known_hosts');
  fs.writeFileSync(
    kh,
    [
      '# windock test',
      `[${h1.sshHost}]:${h1.sshPort} ${h1.hostPublicKey}`,
      `${hashKnownHostsName(`[${h2.sshHost}]:${h2.sshPort}`, randomBytes(20))} ${h2.hostPublicKey}`,
      '',
    ].join('\n'),
  );
  for (const h of [h1, h2]) {
    const config: SshHostConfig = { ...h.config, name: `${h.name}-kh`, hostKey: { knownHostsFile: kh } };
    pool.get(config);
    await expect(pool.ping(config.name)).resolves.toMatchObject({ name: config.name });
    await pool.close(config.name);
  }

  // ssh-keygen itself can find the hashed entry (our hashing is OpenSSH's)
  const found = execFileSync('ssh-keygen', ['-F', `[${h2.sshHost}]:${h2.sshPort}`, '-f', kh], {
    encoding: 'utf8',
  });
  expect(found).toContain(h2.hostPublicKey.split(' ')[1]);

  // h2's key listed under h1's name: "changed"
  const changed = path.join(tmp, 'known_hosts_changed');
  fs.writeFileSync(changed, `[${h1.sshHost}]:${h1.sshPort} ${h2.hostPublicKey}\n`);
  const c1: SshHostConfig = { ...h1.config, name: 'h1-kh-changed', hostKey: { knownHostsFile: changed } };
  const e1 = await pool
    .get(c1)
    .ping()
    .catch((e: unknown) => e);
  expect(e1).toBeInstanceOf(HostKeyMismatchError);
  expect((e1 as HostKeyMismatchError).problem).toBe('changed');
  expect((e1 as HostKeyMismatchError).message).toContain(h1.hostKeyFingerprint);
  expect((e1 as HostKeyMismatchError).message).toContain(h2.hostKeyFingerprint);
  expect(pool.stats('h1-kh-changed').authAttempts).toBe(0);

  // no entry for the host: "unknown", never trusted on first use
  const empty = path.join(tmp, 'known_hosts_empty');
  fs.writeFileSync(empty, `[${h2.sshHost}]:${h2.sshPort} ${h2.hostPublicKey}\n`);
  const c2: SshHostConfig = { ...h1.config, name: 'h1-kh-unknown', hostKey: { knownHostsFile: empty } };
  const e2 = await pool
    .get(c2)
    .ping()
    .catch((e: unknown) => e);
  expect(e2).toBeInstanceOf(HostKeyMismatchError);
  expect((e2 as HostKeyMismatchError).problem).toBe('unknown');
  expect((e2 as HostKeyMismatchError).message).toMatch(/ssh-keyscan/);
  expect(pool.stats('h1-kh-unknown').authAttempts).toBe(0);
  await pool.close('h1-kh-changed');
  await pool.close('h1-kh-unknown');
});

test('a key the host does not accept fails with HostAuthError', async () => {
  const key = path.join(tmp, 'other_key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  const config: SshHostConfig = { ...h1.config, name: 'h1-bad-key', auth: { privateKeyFile: key } };
  const err = await pool
    .get(config)
    .ping()
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(HostAuthError);
  expect((err as Error).message).toMatch(/authorized_keys/);
  await pool.close('h1-bad-key');
});

test('an engine that is not there behind sshd fails with HostUnreachableError naming dial-stdio', async () => {
  const config: SshHostConfig = {
    ...h1.config,
    name: 'h1-no-engine',
    remoteDockerHost: 'unix:///run/windock-test-no-such-engine.sock',
  };
  const err = await pool
    .get(config)
    .ping()
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(HostUnreachableError);
  expect((err as Error).message).toMatch(/dial-stdio/);
  expect((err as Error).message).toMatch(/no such file or directory/);
  await pool.close('h1-no-engine');
});

test('lists containers on each host through the pool: a container made on h1 is seen only on h1', async () => {
  const d1 = pool.get(h1.config);
  const d2 = pool.get(h2.config);
  const name = `windock-test-only-h1-${process.pid}`;
  const c = await d1.createContainer({
    Image: BUSYBOX_TAG,
    name,
    Cmd: ['sleep', '600'],
    Labels: { 'windock.test': 'ssh-pool' },
    HostConfig: { AutoRemove: false },
  });
  try {
    await c.start();
    const on1 = await d1.listContainers({ all: true });
    const on2 = await d2.listContainers({ all: true });
    expect(on1.map((x) => x.Names[0])).toContain(`/${name}`);
    expect(on2.map((x) => x.Names[0])).not.toContain(`/${name}`);
    // and directly on h1's engine socket, not through SSH
    const direct = await new Dockerode({ socketPath: h1.socketPath }).getContainer(c.id).inspect();
    expect(direct.State.Running).toBe(true);

    // an exec stream through SSH: half-close travels through dial-stdio as stdin EOF
    const payload = randomBytes(1536 * 1024);
    const s = await openExecStream(d1, c.id, ['cat']);
    const out = collect(s);
    s.end(payload);
    expect((await out).equals(payload)).toBe(true);
    expect(await s.exitCode()).toBe(0);
  } finally {
    await c.remove({ force: true });
  }
});

test("one host's sshd killed mid-use fails only that host; the other keeps working; the pool reconnects", async () => {
  const d1 = pool.get(h1.config);
  pool.get(h2.config);
  await pool.ping(h1.name);
  await pool.ping(h2.name);
  const before1 = pool.stats(h1.name);
  const before2 = pool.stats(h2.name);

  // mid-use: a container with an exec stream open on h1 while its sshd dies
  const c = await new Dockerode({ socketPath: h1.socketPath }).createContainer({
    Image: BUSYBOX_TAG,
    Cmd: ['sleep', '600'],
    Labels: { 'windock.test': 'ssh-pool' },
  });
  await c.start();
  try {
    const s = await openExecStream(d1, c.id, ['cat']);
    s.write('ping\n');
    const first = await new Promise<Buffer>((resolve) => s.once('data', resolve));
    expect(first.toString()).toBe('ping\n');
    const streamDone = new Promise<unknown>((resolve) => {
      s.on('error', resolve);
      s.on('close', () => resolve('closed'));
    });
    const inflight = Array.from({ length: 5 }, () =>
      d1.listContainers().then(
        () => 'ok',
        (e: unknown) => e,
      ),
    );

    await h1.killSshd();
    expect(h1.sshdRunning()).toBe(false);

    // the open exec stream fails with a typed error (not a clean end that would look like EOF)
    const outcome = await streamDone;
    expect(outcome).toBeInstanceOf(HostUnreachableError);
    console.log(`exec stream on the dropped host: ${(outcome as Error).message}`);
    // calls in flight when it died either finished or failed with a typed error
    for (const r of await Promise.all(inflight))
      expect(r === 'ok' || r instanceof HostUnreachableError).toBe(true);

    // h1 fails with a typed error; h2 is untouched, on its same single connection
    const e = await pool.ping(h1.name).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HostUnreachableError);
    expect((e as Error).message).toContain(h1.name);
    for (let i = 0; i < 5; i++) await pool.ping(h2.name);
    expect(pool.stats(h2.name).connects).toBe(before2.connects);
    expect(pool.stats(h2.name).drops).toBe(0);
    expect(pool.stats(h1.name).drops).toBe(before1.drops + 1);

    // sshd back: the next call reconnects on its own
    await h1.startSshd();
    await expect(pool.ping(h1.name)).resolves.toMatchObject({ name: h1.name });
    const after = pool.stats(h1.name);
    expect(after.ready).toBe(before1.ready + 1);
    for (let i = 0; i < 5; i++) await pool.ping(h1.name);
    expect(pool.stats(h1.name).ready).toBe(after.ready);
  } finally {
    await c.remove({ force: true });
  }
});
