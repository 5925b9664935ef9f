// Framing and ordering only: the peer here is a scripted fake over PassThrough streams,
// because a real QEMU cannot be made to split lines or reorder replies on demand.
// Behaviour against QEMU itself is tested in tests/qmp.
import { Duplex, PassThrough } from 'node:stream';
import { QmpConnectionError, QmpError, QmpProtocolError, QmpTimeoutError } from './errors';
import { LineFramer } from './line-framer';
import { QmpClient } from './qmp-client';

const GREETING =
  '{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": "fake"}, "capabilities": ["oob"]}}\r\n';

interface Request {
  execute: string;
  arguments?: Record<string, unknown>;
  id: string;
}

/** The far end of the pipe: reads the client's commands, writes whatever the test says. */
class FakePeer {
  readonly toClient = new PassThrough();
  readonly fromClient = new PassThrough();
  readonly stream: Duplex = Duplex.from({ readable: this.toClient, writable: this.fromClient });
  private readonly received: Request[] = [];
  private readonly waiters: (() => void)[] = [];

  constructor() {
    const framer = new LineFramer();
    this.fromClient.on('data', (chunk: Buffer) => {
      for (const frame of framer.push(chunk)) this.received.push(JSON.parse(frame.text) as Request);
      this.waiters.splice(0).forEach((w) => w());
    });
  }

  /** Sends raw text in pieces of `size` bytes, each in its own tick. */
  async send(text: string | Buffer, size = Infinity): Promise<void> {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    for (let i = 0; i < bytes.length; i += size) {
      this.toClient.write(bytes.subarray(i, Math.min(bytes.length, i + size)));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async nextRequests(count: number): Promise<Request[]> {
    while (this.received.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.received.splice(0, count);
  }

  pendingRequests(): number {
    return this.received.length;
  }

  reply(req: Request, value: unknown): string {
    return `${JSON.stringify({ return: value, id: req.id })}\r\n`;
  }
}

async function connected(peer: FakePeer): Promise<QmpClient> {
  const connecting = QmpClient.connect(peer.stream, { timeoutMs: 2_000, commandTimeoutMs: 2_000 });
  await peer.send(GREETING, 7);
  const [caps] = await peer.nextRequests(1);
  expect(caps!.execute).toBe('qmp_capabilities');
  await peer.send(peer.reply(caps!, {}), 3);
  return connecting;
}

describe('QmpClient framing and ordering (fake peer over PassThrough)', () => {
  test('greeting and replies split into tiny chunks, \\r\\n endings, UTF-8 split mid-character', async () => {
    const peer = new FakePeer();
    const client = await connected(peer);
    expect(client.greeting.version.package).toBe('fake');

    const call = client.execute<string>('human-monitor-command', { 'command-line': 'info name' });
    const [req] = await peer.nextRequests(1);
    expect(req!.arguments).toEqual({ 'command-line': 'info name' });
    await peer.send(peer.reply(req!, 'Grüße 🖥\r\n'), 1);
    expect(await call).toBe('Grüße 🖥\r\n');
    await client.close();
  });

  test('events before the reply, replies out of order: correlated by id only', async () => {
    const peer = new FakePeer();
    const client = await connected(peer);
    const seen: string[] = [];
    client.events.on('*', (e) => seen.push(e.event));
    client.events.on('RESUME', () => {
      throw new Error('a throwing listener must not break the client');
    });

    const since = client.events.mark();
    const first = client.execute('cont');
    const second = client.execute<{ status: string }>('query-status');
    const [a, b] = await peer.nextRequests(2);
    expect(a!.id).not.toBe(b!.id);
    await peer.send(
      '{"event": "RESUME", "data": {}, "timestamp": {"seconds": 1, "microseconds": 2}}\r\n' +
        peer.reply(b!, { status: 'running', running: true }) +
        '{"return": {}, "id": "someone-elses-id"}\r\n' +
        peer.reply(a!, {}),
      5,
    );
    expect(await second).toEqual({ status: 'running', running: true });
    expect(await first).toEqual({});
    const resume = await client.waitForEvent('RESUME', { since, timeoutMs: 100 });
    expect(resume.timestamp).toEqual({ seconds: 1, microseconds: 2 });
    expect(seen).toEqual(['RESUME']);
    await client.close();
  });

  test('errors carry class, desc and command', async () => {
    const peer = new FakePeer();
    const client = await connected(peer);
    const call = client.execute('frobnicate', { x: 1 }).catch((e: unknown) => e);
    const [req] = await peer.nextRequests(1);
    await peer.send(
      `${JSON.stringify({ id: req!.id, error: { class: 'CommandNotFound', desc: 'nope' } })}\n`,
    );
    expect(await call).toMatchObject({
      name: 'QmpError',
      command: 'frobnicate',
      errorClass: 'CommandNotFound',
      desc: 'nope',
    });
    expect(await call).toBeInstanceOf(QmpError);
    await client.close();
  });

  test('at most 8 commands on the wire; the queue drains as replies come', async () => {
    const peer = new FakePeer();
    const client = await connected(peer);
    const calls = Array.from({ length: 20 }, (_, i) => client.execute<number>('echo', { i }));
    const firstEight = await peer.nextRequests(8);
    await new Promise((resolve) => setImmediate(resolve));
    expect(peer.pendingRequests()).toBe(0);
    expect(client.inFlightCount).toBe(8);

    const outstanding = firstEight;
    const answered: number[] = [];
    while (outstanding.length > 0) {
      const req = outstanding.shift()!;
      answered.push(req.arguments!.i as number);
      await peer.send(peer.reply(req, req.arguments!.i));
      if (answered.length + outstanding.length < 20) outstanding.push(...(await peer.nextRequests(1)));
      expect(client.inFlightCount).toBeLessThanOrEqual(8);
    }
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    await client.close();
  });

  test('quit succeeds when the peer closes before replying', async () => {
    const peer = new FakePeer();
    const client = await connected(peer);
    const quitting = client.quit();
    await peer.nextRequests(1);
    await peer.send(
      '{"event": "SHUTDOWN", "data": {"guest": false}, "timestamp": {"seconds": 1, "microseconds": 0}}\n',
    );
    peer.toClient.end();
    await expect(quitting).resolves.toBeUndefined();
    expect(client.isClosed).toBe(true);
  });

  test('the peer ending the stream rejects pending calls and waiters', async () => {
    const peer = new FakePeer();
    const client = await connected(peer);
    const call = client.execute('query-status');
    const waiter = client.waitForEvent('STOP');
    await peer.nextRequests(1);
    peer.toClient.end();
    await expect(call).rejects.toBeInstanceOf(QmpConnectionError);
    await expect(waiter).rejects.toBeInstanceOf(QmpConnectionError);
    await expect(client.execute('query-status')).rejects.toThrow(/not sent/);
  });

  test('a stream error rejects pending calls and is not thrown uncaught', async () => {
    const peer = new FakePeer();
    const client = await connected(peer);
    const call = client.execute('query-status');
    peer.stream.destroy(new Error('boom'));
    await expect(call).rejects.toThrow(/boom/);
    expect((await client.closed).message).toMatch(/boom/);
  });

  test('a late reply after a timeout is dropped', async () => {
    const peer = new FakePeer();
    const client = await connected(peer);
    const slow = client.execute('slow', undefined, { timeoutMs: 50 });
    const [late] = await peer.nextRequests(1);
    await expect(slow).rejects.toBeInstanceOf(QmpTimeoutError);
    const next = client.execute('next');
    const [req] = await peer.nextRequests(1);
    await peer.send(peer.reply(late!, 'late') + peer.reply(req!, 'right'));
    expect(await next).toBe('right');
    await client.close();
  });

  test('a peer that is not QMP fails connect with QmpProtocolError', async () => {
    const peer = new FakePeer();
    const connecting = QmpClient.connect(peer.stream, { timeoutMs: 1_000 }).catch((e: unknown) => e);
    await peer.send('{"hello": "world"}\n');
    expect(await connecting).toBeInstanceOf(QmpProtocolError);
    expect(peer.stream.destroyed).toBe(true);
  });

  test('invalid JSON after the greeting fails the connection', async () => {
    const peer = new FakePeer();
    const client = await connected(peer);
    const call = client.execute('query-status').catch((e: unknown) => e);
    await peer.send('this is not json\n');
    expect(await call).toBeInstanceOf(QmpConnectionError);
    expect(((await call) as Error).message).toMatch(/invalid JSON/);
  });
});
