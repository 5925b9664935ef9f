import * as net from 'node:net';
import { openTunnel, type Tunnel } from './tunnel';

/** A real TCP echo server on loopback: what the tunnel's streams lead to in this test. */
function echoServer(): Promise<net.Server> {
  const server = net.createServer((s) => s.pipe(s));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const connect = (host: string, port: number) =>
  new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ host, port }, () => resolve(s));
    s.once('error', reject);
  });

const roundTrip = async (port: number, text: string) => {
  const s = await connect('127.0.0.1', port);
  s.write(text);
  const reply = await new Promise<string>((resolve) => s.once('data', (d) => resolve(d.toString())));
  s.destroy();
  return reply;
};

describe('the local tunnel listener', () => {
  let echo: net.Server;
  let tunnel: Tunnel | undefined;
  beforeAll(async () => {
    echo = await echoServer();
  });
  afterEach(async () => tunnel?.close());
  afterAll(() => new Promise((r) => echo.close(r)));
  const toEcho = () => net.connect((echo.address() as net.AddressInfo).port, '127.0.0.1');

  it('pipes every connection through a stream opened for it', async () => {
    tunnel = await openTunnel(async () => toEcho(), 0);
    expect(await roundTrip(tunnel.port, 'hello')).toBe('hello');
    expect(await roundTrip(tunnel.port, 'again')).toBe('again');
    expect(tunnel.accepted).toBe(2);
  });

  it('listens on 127.0.0.1 only: another address of this machine is refused', async () => {
    tunnel = await openTunnel(async () => toEcho(), 0);
    await expect(connect('127.0.0.2', tunnel.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('closes a connection whose stream cannot be opened, and reports why', async () => {
    const errors: string[] = [];
    tunnel = await openTunnel(
      () => Promise.reject(new Error('refused by the host')),
      0,
      (e) => errors.push(e.message),
    );
    const s = await connect('127.0.0.1', tunnel.port);
    await new Promise((r) => s.once('close', r));
    expect(errors).toEqual(['refused by the host']);
  });

  it('a port in use is an error, not a second listener', async () => {
    tunnel = await openTunnel(async () => toEcho(), 0);
    await expect(openTunnel(async () => toEcho(), tunnel.port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
