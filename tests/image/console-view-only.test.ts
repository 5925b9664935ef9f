// View-only against real QEMU, with clients of every RFB version and hostile ones (issue #15,
// finding 2: a filter that assumed a 14-byte handshake let an RFB 3.3 client type "calc" +
// Enter). What counts is the guest: its keyboard's input events, recorded through the agent,
// must stay empty. The same hostile stream against an interactive console does type, which
// shows the server accepts it and the view-only proxy is what stops it.
import { setTimeout as sleep } from 'node:timers/promises';
import { Results } from '../reliability/results';
import { guestKeyBytes, recordGuestKeys } from './console-guest-keys';
import {
  splitStream,
  UNKNOWN_VERSIONS,
  v33Desync,
  v37Keys,
  v38Pipelined,
  v38Short,
} from './console-rfb-streams';
import { CONSOLE_TOKEN, ImageRig, type TestVm } from './harness';
import { RawRfbClient } from './rfb-client';

const results = new Results();
const rig = new ImageRig('cvo');
let viewOnly: TestVm;
let interactive: TestVm;

beforeAll(async () => {
  const console_ = (viewOnlyFlag: boolean) => ({
    enabled: true,
    port: 8006,
    viewOnly: viewOnlyFlag,
    auth: { kind: 'token' as const, secret: 'console-token' },
  });
  viewOnly = await rig.createVm({ publishConsole: true, spec: { console: console_(true) } });
  interactive = await rig.createVm({ publishConsole: true, spec: { console: console_(false) } });
  await Promise.all([viewOnly.start(), interactive.start()]);
  await Promise.all([viewOnly.waitReady(180_000), interactive.waitReady(180_000)]);
  await Promise.all([recordGuestKeys(viewOnly), recordGuestKeys(interactive)]);
}, 300_000);
afterAll(async () => {
  results.flush();
  await rig.dispose();
});

/** The websocket URL and session cookie of a VM's console. */
async function session(vm: TestVm): Promise<{ url: string; cookie: string }> {
  const base = `http://127.0.0.1:${await vm.hostPort(8006)}`;
  const response = await fetch(`${base}/?token=${CONSOLE_TOKEN}`, { redirect: 'manual' });
  expect(response.status).toBe(303);
  return {
    url: `${base.replace('http', 'ws')}${response.headers.get('location')}websockify`,
    cookie: response.headers.get('set-cookie')!.split(';')[0]!,
  };
}

/** Sends a raw client stream in the given frames, then gives the server time to act on it. */
async function sendStream(vm: TestVm, frames: Buffer[]): Promise<void> {
  const { url, cookie } = await session(vm);
  const client = await RawRfbClient.open(url, cookie);
  try {
    for (const frame of frames) {
      client.sendRaw(frame);
      await sleep(2);
    }
    await client.closedWithin(1500);
  } finally {
    client.close();
  }
}

/** Waits a little for key events to reach the guest, then reads how many bytes came. */
async function keysAfter(vm: TestVm, waitMs: number): Promise<number> {
  const deadline = Date.now() + waitMs;
  let bytes = await guestKeyBytes(vm);
  while (bytes === 0 && Date.now() < deadline) {
    await sleep(250);
    bytes = await guestKeyBytes(vm);
  }
  return bytes;
}

it('the RFB 3.3 desync stream types into an interactive console (the attack is real)', async () => {
  await sendStream(interactive, [v33Desync()]);
  expect(await keysAfter(interactive, 15_000)).toBeGreaterThan(0);
});

describe('view-only console', () => {
  it.each([3, 7, 8] as const)(
    'an RFB 3.%i client sees the screen and its keys and clicks go nowhere',
    async (v) => {
      const row = results.attackRow(`view-only console: RFB 3.${v} client input`);
      const { url, cookie } = await session(viewOnly);
      const rfb = await RawRfbClient.connect(url, cookie, v);
      try {
        rfb.requestUpdate();
        expect(await rfb.readUpdate()).toBeGreaterThan(0);
        rfb.sendExtendedClipboardCaps();
        for (const key of [0x63, 0x61, 0x6c, 0x63, 0xff0d]) {
          rfb.tapKey(key);
          row.attack(false);
        }
        rfb.click(10, 10);
        // Display requests after the input still get answers: the filter stayed in step.
        rfb.requestUpdate();
        expect(await rfb.readUpdate()).toBeGreaterThan(0);
        expect(rfb.isOpen).toBe(true);
      } finally {
        rfb.close();
      }
      const through = await keysAfter(viewOnly, 2000);
      if (through > 0) row.attack(true);
      expect(through).toBe(0);
      row.pass();
    },
  );

  it('hostile handshakes (3.3 desync, 3.7, pipelined and short 3.8, unknown versions; whole and split) type nothing', async () => {
    const row = results.attackRow('view-only console: hostile RFB handshakes');
    const streams = [v33Desync(), v37Keys(), v38Pipelined(), v38Short()];
    const attempts: Buffer[][] = [
      ...streams.map((stream) => [stream]),
      ...streams.map((stream) => splitStream(stream, 1)),
      ...streams.map((stream, i) => splitStream(stream, 5, i + 2)),
      ...UNKNOWN_VERSIONS.map((version) => [Buffer.concat([Buffer.from(version), v33Desync().subarray(12)])]),
    ];
    for (const frames of attempts) {
      await sendStream(viewOnly, frames);
      const through = await guestKeyBytes(viewOnly);
      row.attack(through > 0);
      expect(through).toBe(0);
    }
    expect(await keysAfter(viewOnly, 2000)).toBe(0);
    row.pass(`${attempts.length} streams`);
  });
});
