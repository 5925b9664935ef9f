// openExecStream against the local Docker engine and the busybox test image (the same stream over SSH
// is exercised in ssh-pool.test.ts).
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Dockerode from 'dockerode';
import { openExecStream } from '../../provider/docker/exec-stream';
import type { ExecStream } from '../../provider/docker/exec-stream';
import { HostPool } from '../../provider/hosts';
import { BUSYBOX_TAG, ensureBusyboxImage } from '../rig/ssh-hosts';

const pool = new HostPool();
let docker: Dockerode;
let container: Dockerode.Container | undefined;

async function readAll(s: ExecStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  ensureBusyboxImage();
  docker = pool.get({ name: 'local', kind: 'local' });
  container = await docker.createContainer({
    Image: BUSYBOX_TAG,
    name: `windock-test-exec-${process.pid}`,
    Cmd: ['sleep', '3600'],
    Labels: { 'windock.test': 'exec-stream' },
  });
  await container.start();
}, 120_000);

afterAll(async () => {
  await container?.remove({ force: true }).catch(() => undefined);
  await pool.closeAll();
});

test('cat round-trips text; ending our side closes its stdin; exit code 0', async () => {
  const s = await openExecStream(docker, container!.id, ['cat']);
  const out = readAll(s);
  s.end('hello, qmp\n');
  expect((await out).toString()).toBe('hello, qmp\n');
  expect(await s.exitCode()).toBe(0);
  expect(s.execId).toMatch(/^[0-9a-f]{64}$/);
});

test('request/response without closing stdin (how QMP is spoken)', async () => {
  const s = await openExecStream(docker, container!.id, ['cat']);
  const ask = (line: string) =>
    new Promise<string>((resolve) => {
      let got = '';
      const onData = (c: Buffer) => {
        got += c.toString();
        if (got.endsWith('\n')) {
          s.off('data', onData);
          resolve(got);
        }
      };
      s.on('data', onData);
      s.write(line);
    });
  expect(await ask('{"execute":"qmp_capabilities"}\n')).toBe('{"execute":"qmp_capabilities"}\n');
  expect(await ask('{"execute":"query-status"}\n')).toBe('{"execute":"query-status"}\n');
  s.end();
  await new Promise((r) => s.once('end', r));
  expect(await s.exitCode()).toBe(0);
});

test('binary payloads of every byte value and > 1 MiB come back byte for byte', async () => {
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const big = Buffer.concat([all, randomBytes(3 * 1024 * 1024 + 17), all]);
  const s = await openExecStream(docker, container!.id, ['cat']);
  const out = readAll(s);
  // written in uneven chunks with backpressure
  const chunks: Buffer[] = [];
  for (let off = 0; off < big.length;) {
    const n = 1 + ((off * 7919) % 100_000);
    chunks.push(big.subarray(off, off + n));
    off += n;
  }
  await pipeline(Readable.from(chunks), s);
  const got = await out;
  expect(got.length).toBe(big.length);
  expect(sha(got)).toBe(sha(big));
  expect(await s.exitCode()).toBe(0);
});

test("sh -c 'exit 7' reports exit code 7", async () => {
  const s = await openExecStream(docker, container!.id, ['sh', '-c', 'exit 7']);
  s.end();
  expect((await readAll(s)).length).toBe(0);
  expect(await s.exitCode()).toBe(7);
});

test('stderr is kept apart from stdout', async () => {
  const s = await openExecStream(docker, container!.id, [
    'sh',
    '-c',
    'echo out; echo oops >&2; echo more; exit 3',
  ]);
  const stderrEvents: string[] = [];
  s.on('stderr', (d: Buffer) => stderrEvents.push(d.toString()));
  s.end();
  expect((await readAll(s)).toString()).toBe('out\nmore\n');
  expect(s.stderrText()).toBe('oops\n');
  expect(stderrEvents.join('')).toBe('oops\n');
  expect(await s.exitCode()).toBe(3);
});

test('a missing container is an error from Docker, not a hang', async () => {
  await expect(openExecStream(docker, 'windock-test-no-such-container', ['cat'])).rejects.toThrow(
    /no such container/i,
  );
});
