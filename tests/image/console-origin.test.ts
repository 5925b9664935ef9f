// The console's cookie and websocket against other services on the same host (issue #15,
// finding 5): browsers do not separate cookies by port, so a cookie at Path=/ on 127.0.0.1 was
// sent to every local port, and the websocket did not check Origin: a page served by a guest
// behind a forwarded port could open another VM's console. Here a real headless Chromium opens
// the console (taking its cookie), then a page on another 127.0.0.1 port, "the guest's web
// server", which records every cookie it is sent and tries the console's websocket.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Results } from '../reliability/results';
import { HeadlessPage } from './browser';
import { CONSOLE_TOKEN, ImageRig, type TestVm } from './harness';
import { RawRfbClient } from './rfb-client';

const results = new Results();
const rig = new ImageRig('cor');
let vm: TestVm;
let consolePort: number;
let folder: string;

beforeAll(async () => {
  vm = await rig.createVm({ publishConsole: true });
  await vm.start();
  await vm.waitReady(180_000);
  consolePort = await vm.hostPort(8006);
  const response = await fetch(`http://127.0.0.1:${consolePort}/?token=${CONSOLE_TOKEN}`, {
    redirect: 'manual',
  });
  folder = response.headers.get('location')!;
}, 300_000);
afterAll(async () => {
  results.flush();
  await rig.dispose();
});

/** A page that tries the console's websocket (at the old path and, as if it knew it, the folder). */
function hostilePage(): string {
  const targets = ['/websockify', `${folder}websockify`].map(
    (path) => `ws://127.0.0.1:${consolePort}${path}`,
  );
  return `<!doctype html><script>
    window.attempts = ${JSON.stringify(targets)}.map((url) => new Promise((resolve) => {
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      ws.onmessage = (m) => { resolve(url + ' open: ' + new TextDecoder().decode(m.data).slice(0, 12)); ws.close(); };
      ws.onerror = () => resolve(url + ' refused');
      ws.onclose = () => resolve(url + ' closed');
    }));
    Promise.all(window.attempts).then((r) => (window.outcome = r));
    fetch('/probe');
  </script>`;
}

/** "The guest's web server" on another 127.0.0.1 port: serves the page, records cookies. */
async function otherService(cookies: string[]): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    cookies.push(request.headers.cookie ?? '');
    response.writeHead(200, { 'Content-Type': 'text/html' }).end(hostilePage());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

it("a page on another local port gets neither the console's cookie nor its websocket", async () => {
  const row = results.attackRow('console cookie and websocket from another local port');
  const cookies: string[] = [];
  const other = await otherService(cookies);
  const page = await HeadlessPage.launch(800, 600);
  try {
    await page.goto(`http://127.0.0.1:${consolePort}/?token=${CONSOLE_TOKEN}`);
    await page.waitFor<boolean>("document.getElementById('status')?.textContent === 'connected'", 30_000);
    // The browser holds the cookie, scoped to the console's folder.
    const { cookies: held } = await page.send<{ cookies: Array<{ name: string; path: string }> }>(
      'Network.getAllCookies',
    );
    expect(held.find((c) => c.name === 'windock_console')?.path).toBe(folder);

    await page.goto(`http://127.0.0.1:${other.port}/`);
    const outcome = await page.waitFor<string[]>('window.outcome', 30_000);
    await page.waitFor<boolean>(
      'performance.getEntriesByName(location.origin + "/probe").length > 0',
      10_000,
    );
    for (const attempt of outcome) {
      row.attack(/ open/.test(attempt));
      expect(attempt).not.toMatch(/ open/);
    }
    row.attack(cookies.some((c) => c.includes('windock_console')));
    expect(cookies.length).toBeGreaterThanOrEqual(2);
    expect(cookies.join('\n')).not.toContain('windock_console');
  } finally {
    await page.close();
    other.server.close();
  }
  row.pass();
}, 120_000);

it('refuses a websocket whose Origin is not the console itself, and accepts its own', async () => {
  const row = results.attackRow('console websocket Origin');
  const url = `ws://127.0.0.1:${consolePort}${folder}websockify`;
  const cookie = `windock_console=${CONSOLE_TOKEN}`;
  for (const origin of [
    'http://127.0.0.1:1',
    'http://localhost:' + consolePort,
    'null',
    `https://127.0.0.1:${consolePort}`,
  ]) {
    const refused = await RawRfbClient.open(url, cookie, { Origin: origin }).then(
      (client) => (client.close(), false),
      (error: Error) => /403/.test(error.message),
    );
    row.attack(!refused);
    expect(refused).toBe(true);
  }
  const own = await RawRfbClient.connect(url, cookie);
  own.close();
  const browserLike = await RawRfbClient.open(url, cookie, { Origin: `http://127.0.0.1:${consolePort}` });
  browserLike.close();
  row.pass();
});
