// The browser console: token-protected noVNC bridged to QEMU's VNC unix socket. A headless
// Chromium opens the console URL and must show the stand-in guest's screen (the screenshot is
// decoded and kept as an artifact); view-only is enforced by the server, checked with a raw
// RFB client whose key presses must never reach the guest's keyboard; a disabled console
// listens nowhere.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HeadlessPage } from './browser';
import { guestKeyBytes, recordGuestKeys } from './console-guest-keys';
import { artifactsDir, CONSOLE_TOKEN, ImageRig, type TestVm } from './harness';
import { decodePng } from './png';
import { RawRfbClient } from './rfb-client';

const rig = new ImageRig('con');
let interactive: TestVm;
let viewOnly: TestVm;
let disabled: TestVm;

beforeAll(async () => {
  interactive = await rig.createVm({ publishConsole: true });
  viewOnly = await rig.createVm({
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
  disabled = await rig.createVm({
    spec: { console: { enabled: false, port: 8006, viewOnly: false, auth: { kind: 'none' } } },
    secrets: {},
  });
  for (const vm of [interactive, viewOnly, disabled]) await vm.start();
  for (const vm of [interactive, viewOnly, disabled]) await vm.waitReady(180_000);
}, 300_000);
afterAll(() => rig.dispose());

const XK_a = 0x61;
const XK_Return = 0xff0d;

/** Light pixels in noVNC's canvas (the guest's text), evaluated in the page. */
const CANVAS_BRIGHT_PIXELS = `(() => { const c = document.querySelector('#screen canvas'); if (!c || c.width < 100) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let bright = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 300) bright++;
  return bright; })()`;

interface ScreenShot {
  file: string;
  width: number;
  height: number;
  /** Pixels below the bar that are not the page background (#1b1d21): the guest's screen. */
  screenShare: number;
  /** Light pixels below the bar: the guest's text. */
  textPixels: number;
  textShare: number;
}

/**
 * Waits until noVNC has drawn the guest's text into its canvas, then takes a screenshot of the
 * page, keeps it as an artifact and measures it.
 */
async function screenshotGuest(page: HeadlessPage, name: string): Promise<ScreenShot> {
  await page.waitFor<boolean>(`${CANVAS_BRIGHT_PIXELS} > 500`, 30_000);
  await sleep(500); // one more frame for the compositor
  const png = await page.screenshot();
  mkdirSync(artifactsDir(), { recursive: true });
  const file = join(artifactsDir(), name);
  writeFileSync(file, png);
  const { width, height, rgba } = decodePng(png);
  let screen = 0;
  let text = 0;
  let area = 0;
  for (let y = 40; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const [r, g, b] = [rgba[i]!, rgba[i + 1]!, rgba[i + 2]!];
      area++;
      if (Math.abs(r - 0x1b) + Math.abs(g - 0x1d) + Math.abs(b - 0x21) >= 12) screen++;
      if (r + g + b > 300) text++;
    }
  }
  return { file, width, height, screenShare: screen / area, textPixels: text, textShare: text / area };
}

interface HttpReply {
  status: number;
  location: string | undefined;
  setCookie: string[];
  body: string;
}

/** One GET without following redirects or keeping the connection (no handle outlives a test). */
function get(url: string, headers: Record<string, string> = {}): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          location: response.headers.location,
          setCookie: response.headers['set-cookie'] ?? [],
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The session cookie and the websocket URL of the console's folder (the 303's Location). */
async function session(base: string): Promise<{ cookie: string; websocket: string }> {
  const response = await get(`${base}/?token=${CONSOLE_TOKEN}`);
  expect(response.status).toBe(303);
  return {
    cookie: response.setCookie[0]!.split(';')[0]!,
    websocket: `${base.replace('http', 'ws')}${response.location}websockify`,
  };
}

describe('console with a token', () => {
  let base: string;
  beforeAll(async () => {
    base = `http://127.0.0.1:${await interactive.hostPort(8006)}`;
  });

  it('refuses the page and the websocket without the token', async () => {
    expect((await get(`${base}/`)).status).toBe(401);
    expect((await get(`${base}/?token=wrong-token`)).status).toBe(401);
    expect((await get(`${base}/`, { Cookie: 'windock_console=wrong' })).status).toBe(401);
    expect((await get(`${base}/`, { Cookie: 'windock_console=%E0%A4%A' })).status).toBe(401);
    expect((await get(`${base}/`, { Authorization: 'Bearer wrong' })).status).toBe(401);
    await expect(RawRfbClient.connect(`${base.replace('http', 'ws')}/websockify`, '')).rejects.toThrow(
      /401|refused|Unexpected/,
    );
  });

  it('moves the token from the URL into an HttpOnly cookie (303), then serves the page', async () => {
    const response = await get(`${base}/?token=${CONSOLE_TOKEN}`);
    expect(response.status).toBe(303);
    // The console's own folder, derived from the token: the cookie is sent nowhere else.
    expect(response.location).toMatch(/^\/[0-9a-f]{32}\/$/);
    const cookie = response.setCookie[0]!;
    expect(cookie).toMatch(/^windock_console=/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toContain(`; Path=${response.location}`);
    const page = await get(`${base}${response.location}`, { Cookie: cookie.split(';')[0]! });
    expect(page.status).toBe(200);
    const html = page.body;
    expect(html).toContain('rfb.viewOnly = false;');
    expect(html).not.toContain(CONSOLE_TOKEN);
  });

  it('shows the guest screen in a browser (headless Chromium screenshot)', async () => {
    const page = await HeadlessPage.launch(1024, 768);
    try {
      await page.goto(`${base}/?token=${CONSOLE_TOKEN}`);
      // The redirect drops the token from the address bar; the page connects over the websocket.
      await page.waitFor<boolean>(
        "/^\\/[0-9a-f]{32}\\/$/.test(location.pathname) && !location.search && document.getElementById('status')?.textContent === 'connected'",
        30_000,
      );
      expect(await page.evaluate<boolean>('window.windockRfb.viewOnly')).toBe(false);
      // The screenshot itself: below the 28 px bar, most pixels are the guest's screen (not the
      // page background), and some are its light-grey text.
      const shot = await screenshotGuest(page, 'console-standin.png');
      expect(shot.screenShare).toBeGreaterThan(0.5);
      expect(shot.textPixels).toBeGreaterThan(1000);
      expect(shot.textShare).toBeLessThan(0.3); // text on a dark screen, not a white page
    } finally {
      await page.close();
    }
  });

  it('passes key presses to the guest (the control for the view-only test)', async () => {
    await recordGuestKeys(interactive);
    const { cookie, websocket } = await session(base);
    const rfb = await RawRfbClient.connect(websocket, cookie);
    try {
      rfb.requestUpdate();
      expect(await rfb.readUpdate()).toBeGreaterThan(0);
      rfb.tapKey(XK_a);
      rfb.tapKey(XK_Return);
      const deadline = Date.now() + 15_000;
      while ((await guestKeyBytes(interactive)) === 0 && Date.now() < deadline) await sleep(250);
      expect(await guestKeyBytes(interactive)).toBeGreaterThan(0);
    } finally {
      rfb.close();
    }
  });
});

describe('view-only console', () => {
  let base: string;
  beforeAll(async () => {
    base = `http://127.0.0.1:${await viewOnly.hostPort(8006)}`;
  });

  it('serves a page that sets viewOnly', async () => {
    const { cookie } = await session(base);
    const folder = (await get(`${base}/?token=${CONSOLE_TOKEN}`)).location!;
    const page = await get(`${base}${folder}`, { Cookie: cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('rfb.viewOnly = true;');
  });

  it('drops key, pointer and clipboard messages on the server: the guest receives nothing', async () => {
    await recordGuestKeys(viewOnly);
    const { cookie, websocket } = await session(base);
    const rfb = await RawRfbClient.connect(websocket, cookie);
    try {
      rfb.requestUpdate();
      expect(await rfb.readUpdate()).toBeGreaterThan(0);
      // What noVNC sends right after connecting, then input a client should not be able to send.
      rfb.sendExtendedClipboardCaps();
      for (let i = 0; i < 5; i++) rfb.tapKey(XK_a);
      rfb.tapKey(XK_Return);
      rfb.click(10, 10);
      // Display requests after them still get answers: the filter stayed in step with the stream.
      rfb.requestUpdate();
      expect(await rfb.readUpdate()).toBeGreaterThan(0);
      await sleep(2000);
      expect(rfb.isOpen).toBe(true);
      expect(await guestKeyBytes(viewOnly)).toBe(0);
    } finally {
      rfb.close();
    }
  });

  it('shows the guest in a browser with viewOnly set', async () => {
    const page = await HeadlessPage.launch(1024, 768);
    try {
      await page.goto(`${base}/?token=${CONSOLE_TOKEN}`);
      await page.waitFor<boolean>(
        "document.getElementById('status')?.textContent === 'connected (view only)'",
        30_000,
      );
      expect(await page.evaluate<boolean>('window.windockRfb.viewOnly')).toBe(true);
      const before = await page.evaluate<number>(CANVAS_BRIGHT_PIXELS);
      // The display stays live (noVNC's clipboard message must not stall the filter): text the
      // guest writes now shows up in the browser.
      const agent = await viewOnly.agent();
      await viewOnly.guestRun(agent, '/bin/sh', [
        '-c',
        'for i in 1 2 3 4; do printf "   %s\\n" "################################################################" >/dev/tty0; done',
      ]);
      await page.waitFor<boolean>(`${CANVAS_BRIGHT_PIXELS} > ${before + 3000}`, 30_000);
      const shot = await screenshotGuest(page, 'console-standin-view-only.png');
      expect(shot.screenShare).toBeGreaterThan(0.5);
      expect(shot.textPixels).toBeGreaterThan(1000);
    } finally {
      await page.close();
    }
  });
});

describe('console disabled', () => {
  it('listens on no port and gives QEMU no VNC server', async () => {
    const status = await disabled.waitForStatus('running', (s) => s.phase === 'running', 30_000);
    expect(status.phase).toBe('running');
    const tcp = await disabled.exec(['cat', '/proc/net/tcp', '/proc/net/tcp6']);
    const listening = tcp.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[3] === '0A')
      .map((fields) => parseInt(fields[1]!.split(':')[1]!, 16));
    expect(listening).not.toContain(8006);
    expect((await disabled.exec(['test', '-e', '/run/windock/vnc.sock'])).exitCode).not.toBe(0);
    expect((await disabled.inspect()).HostConfig.PortBindings ?? {}).toEqual({});
  });
});
