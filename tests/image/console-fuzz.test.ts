// The console against hostile input (issue #15, finding 1: `GET //` or a cookie with a bad
// percent escape used to kill the supervisor, PID 1, and QEMU with it). A real container with
// its view-only console published gets over 10,000 random and mutated HTTP requests, websocket
// upgrades with bad frames, RFB streams of every version (truncated, garbage, huge clipboard
// lengths) and slow partial requests, over raw TCP. Afterwards QEMU's pid is the same, no
// console process died of an uncaught exception, the guest's keyboard received nothing, and
// the console still serves a session.
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Results } from '../reliability/results';
import { guestKeyBytes, recordGuestKeys } from './console-guest-keys';
import { hostileRequest, hostileRfb, hostileUpgrade, Random } from './console-fuzz-inputs';
import { CONSOLE_TOKEN, ImageRig, type TestVm } from './harness';
import { RawRfbClient } from './rfb-client';

const results = new Results();
const rig = new ImageRig('cfz');
let vm: TestVm;
let port: number;
let folder: string;

beforeAll(async () => {
  vm = await rig.createVm({
    publishConsole: true,
    spec: {
      console: {
        enabled: true,
        port: 8006,
        viewOnly: true,
        auth: { kind: 'token', secret: 'console-token' },
      },
    },
  });
  await vm.start();
  await vm.waitReady(180_000);
  port = await vm.hostPort(8006);
  folder = await consoleFolder();
}, 300_000);
afterAll(async () => {
  results.flush();
  await rig.dispose();
});

/** Sends bytes on a fresh TCP connection, then waits (bounded) for the server to close it. */
function sendRaw(bytes: Buffer, holdMs = 1500): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, holdMs);
    socket.on('error', done);
    socket.on('close', done);
    socket.on('data', () => undefined);
    socket.on('connect', () => socket.end(bytes));
  });
}

async function consoleFolder(): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/?token=${CONSOLE_TOKEN}`, { redirect: 'manual' });
  if (response.status !== 303) throw new Error(`console answered ${response.status}`);
  return response.headers.get('location')!;
}

/** Whether the console answers: the page needs the token (401) and the token opens it. */
async function consoleAnswers(): Promise<boolean> {
  try {
    const refused = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(10_000) });
    return refused.status === 401 && (await consoleFolder()) === folder;
  } catch {
    return false;
  }
}

/** Runs `count` jobs, `width` at a time. */
async function pool(count: number, width: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await job(next++);
    }),
  );
}

async function rfbSession(random: Random): Promise<void> {
  const url = `ws://127.0.0.1:${port}${folder}websockify`;
  let client: RawRfbClient | undefined;
  try {
    client = await RawRfbClient.open(url, `windock_console=${CONSOLE_TOKEN}`);
    for (const chunk of hostileRfb(random)) {
      client.sendRaw(chunk);
      if (random.below(4) === 0) await sleep(5);
    }
    await client.closedWithin(300);
  } catch {
    // refused or closed: what hostile streams should get
  } finally {
    client?.close();
  }
}

it('survives 10,000+ hostile HTTP requests, websocket upgrades and RFB streams; QEMU keeps running', async () => {
  const row = results.attackRow('console fuzz (HTTP, websocket, RFB)');
  const qemuPid = (await vm.status())!.qemuPid;
  expect(qemuPid).toBeGreaterThan(0);
  await recordGuestKeys(vm);
  const random = new Random(0x15c0c0a);
  const host = `127.0.0.1:${port}`;
  const started = Date.now();

  // Batches, each followed by a check that the console still answers; a batch after which it
  // does not counts as attacks that got through.
  const batches = [
    { count: 10_000, width: 48, job: () => sendRaw(hostileRequest(random, folder, CONSOLE_TOKEN), 1000) },
    { count: 800, width: 24, job: () => sendRaw(hostileUpgrade(random, folder, CONSOLE_TOKEN, host), 1000) },
    { count: 600, width: 12, job: () => rfbSession(random) },
  ];
  for (const batch of batches) {
    for (let done = 0; done < batch.count; done += 1000) {
      const size = Math.min(1000, batch.count - done);
      await pool(size, batch.width, batch.job);
      const answers = await consoleAnswers();
      for (let i = 0; i < size; i++) row.attack(!answers);
      expect(answers).toBe(true);
    }
  }

  // Slow partial requests (slowloris), bounded: each sends a byte every 100 ms for about 3 s.
  const slow = Array.from({ length: 40 }, async () => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    for (const byte of Buffer.from('GET / HTTP/1.1\r\nX-Slow: aa')) {
      if (socket.destroyed) break;
      socket.write(Buffer.from([byte]));
      await sleep(100);
    }
    socket.destroy();
  });
  const duringSlow = await consoleAnswers();
  await Promise.all(slow);
  for (let i = 0; i < 40; i++) row.attack(!duringSlow);
  expect(duringSlow).toBe(true);

  // A request that never finishes its headers is closed by the server (headers timeout).
  const closedAfter = await new Promise<number>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nX-Never: '));
    const at = Date.now();
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Infinity);
    }, 20_000);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - at);
    });
  });
  row.attack(closedAfter === Infinity);
  expect(closedAfter).toBeLessThan(15_000);

  // QEMU is the same process, and no console process died of an uncaught exception.
  const status = await vm.status();
  expect(status?.qemuPid).toBe(qemuPid);
  expect(status?.phase).toBe('running');
  const logs = await vm.logs();
  expect(logs).not.toMatch(/console: uncaught|console: ended/);
  // The view-only console let no input through, whatever the streams tried.
  expect(await guestKeyBytes(vm)).toBe(0);
  // And it still serves a session that shows the screen.
  const rfb = await RawRfbClient.connect(
    `ws://127.0.0.1:${port}${folder}websockify`,
    `windock_console=${CONSOLE_TOKEN}`,
  );
  try {
    rfb.requestUpdate();
    expect(await rfb.readUpdate()).toBeGreaterThan(0);
  } finally {
    rfb.close();
  }
  row.pass(`${row.attacksTried} inputs in ${Math.round((Date.now() - started) / 1000)} s`);
}, 600_000);

it('a console process that dies is started again, and QEMU keeps running', async () => {
  const row = results.attackRow('console process killed');
  const qemuPid = (await vm.status())!.qemuPid;
  const consolePids = async () =>
    (
      await vm.exec([
        'sh',
        '-c',
        'for p in /proc/[0-9]*; do [ "$(cat $p/comm 2>/dev/null)" = windock-console ] && echo ${p#/proc/}; done',
      ])
    ).stdout
      .trim()
      .split('\n')
      .filter(Boolean);
  const [pid] = await consolePids();
  expect(pid).toBeDefined();
  // What an uncaught exception would do to it: the process is gone at once.
  expect((await vm.exec(['kill', '-KILL', pid!])).exitCode).toBe(0);
  const deadline = Date.now() + 20_000;
  let answers = false;
  while (!answers && Date.now() < deadline) {
    await sleep(250);
    answers = (await consolePids()).some((p) => p !== pid) && (await consoleAnswers());
  }
  row.attack(!answers);
  expect(answers).toBe(true);
  expect((await vm.status())?.qemuPid).toBe(qemuPid);
  expect(await vm.logs()).toMatch(/console: ended \(SIGKILL\); restarting/);
  row.pass();
});
