import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GuestAgentClient, GuestAgentError } from '../../provider/agent';
import { makeTempDir } from '../qmp/qemu-process';
import { connectWhenReady } from '../qmp/retry-connect';
import { startQemuGa, type QemuGaProcess } from './qemu-ga-process';

jest.setTimeout(60_000);

let temp: { dir: string; remove(): Promise<void> };
let agent: QemuGaProcess;
const clients: GuestAgentClient[] = [];

async function start(blockRpcs: string[] = []): Promise<GuestAgentClient> {
  agent = await startQemuGa(temp.dir, blockRpcs);
  const client = await agent.connect();
  clients.push(client);
  return client;
}

beforeEach(async () => {
  temp = await makeTempDir('windock-qga-');
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await agent?.kill();
  await temp.remove();
});

describe('GuestAgentClient against the real qemu-ga', () => {
  test('sync skips garbage and stale replies up to its delimited reply', async () => {
    agent = await startQemuGa(temp.dir);
    const socket = await connectWhenReady(agent.socket);
    const client = new GuestAgentClient(socket, { defaultTimeoutMs: 5_000 });
    clients.push(client);
    // Leftovers of an earlier session: noise plus replies nobody is waiting for.
    socket.write(
      'garbage\n{"execute":"guest-ping","id":"stale-1"}\n{"execute":"guest-info","id":"stale-2"}\n',
    );
    await client.sync();
    await client.ping();
    const info = await client.info();
    expect(info.version).toMatch(/^\d+\.\d+/);
    await client.sync(); // again, on a clean stream
  });

  test('ping and info', async () => {
    const client = await start();
    await expect(client.ping()).resolves.toBeUndefined();
    const info = await client.info();
    const names = info.supported_commands.filter((c) => c.enabled).map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining(['guest-exec', 'guest-exec-status', 'guest-sync-delimited']),
    );
  });

  test('an unknown command fails with GuestAgentError of kind agent', async () => {
    const client = await start();
    const err = await client.execute('guest-no-such-thing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GuestAgentError);
    expect(err).toMatchObject({
      kind: 'agent',
      command: 'guest-no-such-thing',
      errorClass: 'CommandNotFound',
    });
  });

  test('exec returns exit code, stdout and stderr', async () => {
    const client = await start();
    const result = await client.exec('/bin/sh', ['-c', 'echo out; echo err >&2; exit 3'], {
      timeoutMs: 10_000,
    });
    expect(result.exitCode).toBe(3);
    expect(result.signal).toBeUndefined();
    expect(result.stdout.toString()).toBe('out\n');
    expect(result.stderr.toString()).toBe('err\n');
    expect(result).toMatchObject({ stdoutTruncated: false, stderrTruncated: false });
  });

  test('exec passes stdin (binary safe) and the environment', async () => {
    const client = await start();
    const input = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const cat = await client.exec('/bin/cat', [], { input, pollMs: 20 });
    expect(cat.exitCode).toBe(0);
    expect(cat.stdout.equals(input)).toBe(true);

    const text = await client.exec('/bin/sh', ['-c', 'read line; echo "$GREETING, $line"'], {
      input: 'world\n',
      env: { GREETING: 'hello', PATH: '/usr/bin:/bin' },
    });
    expect(text.stdout.toString()).toBe('hello, world\n');
  });

  test('exec reports a signal death and a missing program', async () => {
    const client = await start();
    const killed = await client.exec('/bin/sh', ['-c', 'kill -9 $$']);
    expect(killed.exitCode).toBeNull();
    expect(killed.signal).toBe(9);

    const missing = await client.exec('/no/such/program').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(GuestAgentError);
    expect(missing).toMatchObject({ kind: 'agent', command: 'guest-exec' });
  });

  test('exec that outlives its deadline fails with kind timeout', async () => {
    const client = await start();
    const err = await client
      .exec('/bin/sleep', ['2'], { timeoutMs: 300, pollMs: 50 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GuestAgentError);
    expect(err).toMatchObject({ kind: 'timeout', command: 'guest-exec' });
    await client.ping(); // the client is still usable
  });

  test('getTime is the host clock here', async () => {
    const client = await start();
    const time = await client.getTime();
    expect(Math.abs(time.getTime() - Date.now())).toBeLessThan(5_000);
  });

  test('fileWrite / fileRead round trip, in several chunks', async () => {
    const client = await start();
    const path = join(temp.dir, 'payload.bin');
    const data = randomBytes(300_000);
    await client.fileWrite(path, data, { chunkBytes: 64 * 1024 });
    expect((await readFile(path)).equals(data)).toBe(true);
    expect((await client.fileRead(path, { chunkBytes: 100_000 })).equals(data)).toBe(true);

    await writeFile(path, 'short text');
    expect((await client.fileRead(path)).toString()).toBe('short text');
    await client.fileWrite(path, '');
    expect((await client.fileRead(path)).length).toBe(0);

    const missing = await client.fileRead(join(temp.dir, 'missing')).catch((e: unknown) => e);
    expect(missing).toMatchObject({ kind: 'agent', command: 'guest-file-open' });
  });

  test('no reply within the deadline is a timeout; the late reply is dropped', async () => {
    const client = await start();
    agent.proc.kill('SIGSTOP');
    const err = await client.ping({ timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GuestAgentError);
    expect(err).toMatchObject({ kind: 'timeout', command: 'guest-ping' });
    agent.proc.kill('SIGCONT');
    // The stale ping reply ({}) arrives first; info must still get its own answer.
    const info = await client.info({ timeoutMs: 5_000 });
    expect(info.supported_commands.length).toBeGreaterThan(0);
  });

  test('a call queued behind a stuck one counts its wait against its own deadline', async () => {
    const client = await start();
    agent.proc.kill('SIGSTOP');
    const first = client.ping({ timeoutMs: 300 }).catch((e: unknown) => e);
    const second = client.ping({ timeoutMs: 100 }).catch((e: unknown) => e);
    expect(await second).toMatchObject({ kind: 'timeout' });
    expect(await first).toMatchObject({ kind: 'timeout' });
    agent.proc.kill('SIGCONT');
  });

  test('the agent going away rejects the pending call with kind closed', async () => {
    const client = await start();
    agent.proc.kill('SIGSTOP');
    const pending = client.ping({ timeoutMs: 30_000 }).catch((e: unknown) => e);
    await agent.kill();
    expect(await pending).toMatchObject({ kind: 'closed', command: 'guest-ping' });
    expect(client.isClosed).toBe(true);
    await expect(client.ping()).rejects.toMatchObject({ kind: 'closed' });
  });

  test('shutdown reports a refusal (guest-shutdown blocked, so the host stays up)', async () => {
    const client = await start(['guest-shutdown', 'guest-set-time']);
    const info = await client.info();
    const blocked = info.supported_commands.filter((c) =>
      ['guest-shutdown', 'guest-set-time'].includes(c.name),
    );
    // Safety: never send a working guest-shutdown to the host's own agent.
    expect(blocked).toHaveLength(2);
    expect(blocked.every((c) => !c.enabled)).toBe(true);

    const refused = await client.shutdown('powerdown').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GuestAgentError);
    expect(refused).toMatchObject({ kind: 'agent', command: 'guest-shutdown' });
    expect((refused as GuestAgentError).desc).toMatch(/disabled/);

    const setTime = await client.setTime(new Date()).catch((e: unknown) => e);
    expect(setTime).toMatchObject({ kind: 'agent', command: 'guest-set-time' });
    await client.ping();
  });
});
