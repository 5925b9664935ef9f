import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleBasePath } from './auth';
import { startConsoleServer } from './server';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function get(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
) {
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, ...options }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const token = 'token-for-the-unit-test';
const base = consoleBasePath(token);
const assets = mkdtempSync(join(tmpdir(), 'windock-console-'));
let servers: Server[] = [];
let port = 0;

beforeAll(async () => {
  writeFileSync(join(assets, 'console.html'), '<html>viewOnly=__VIEW_ONLY__</html>');
  mkdirSync(join(assets, 'novnc', 'core'), { recursive: true });
  writeFileSync(join(assets, 'novnc', 'core', 'rfb.js'), 'export {};');
  port = await freePort();
  servers = startConsoleServer({
    port,
    listen: ['127.0.0.1'],
    refuse: () => false,
    vncSocket: join(assets, 'vnc.sock'),
    token,
    viewOnly: true,
    assetsDir: assets,
    log: () => undefined,
  });
  await new Promise((resolve) => servers[0]!.once('listening', resolve));
});
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  rmSync(assets, { recursive: true, force: true });
});

describe('the console server (in process, plain HTTP)', () => {
  it('asks for the token', async () => {
    const answer = await get(port, '/');
    expect(answer.status).toBe(401);
    expect(answer.body).toBe(
      'windock console: a token is required (open the console URL from the stack outputs)\n',
    );
    expect(answer.headers['x-frame-options']).toBe('DENY');
  });

  it('moves the token from the URL into a cookie scoped to its folder', async () => {
    const answer = await get(port, `/?token=${token}`);
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe(base);
    expect(answer.headers['set-cookie']?.[0]).toContain(`Path=${base}`);
  });

  it('serves the page with the view-only flag filled in', async () => {
    const answer = await get(port, base, { headers: { Authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.body).toBe('<html>viewOnly=true</html>');
  });
});

describe('the console server: files, methods and websockets', () => {
  it("serves noVNC's files, and nothing else", async () => {
    const file = await get(port, `${base}novnc/core/rfb.js`);
    expect([file.status, file.headers['content-type'], file.body]).toEqual([
      200,
      'text/javascript; charset=utf-8',
      'export {};',
    ]);
    expect((await get(port, `${base}novnc/core/missing.js`)).status).toBe(404);
    expect((await get(port, '/elsewhere')).status).toBe(404);
  });

  it('answers GET and HEAD only', async () => {
    const answer = await get(port, base, { method: 'POST' });
    expect([answer.status, answer.body]).toEqual([400, 'bad request\n']);
  });

  it('refuses a websocket without the token', async () => {
    const answer = await get(port, `${base}websockify`, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    }).catch((error: Error) => error);
    // The refusal is a raw HTTP answer on the upgraded socket.
    expect(answer).toMatchObject({ status: 401 });
  });
});
