// The tunnels' transport: direct-tcpip channels on the host's one pinned SSH connection (the same
// one the Docker API uses), refused with the fix named when sshd does not allow forwarding.
import * as net from 'node:net';
import { HostPool, type SshStrategy } from '../../provider/hosts';
import { startSshHosts, type SshHostsRig } from '../rig/ssh-hosts';

/** A TCP server on the "remote" host's loopback (the test hosts share this machine's). */
function greeter(text: string): Promise<net.Server> {
  const server = net.createServer((s) => s.end(text));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const readAll = (stream: NodeJS.ReadableStream) =>
  new Promise<string>((resolve, reject) => {
    let text = '';
    stream.on('data', (d) => (text += d));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });

describe('port forwarding over the pinned SSH connection', () => {
  let rig: SshHostsRig | undefined;
  let pool: HostPool;
  let server: net.Server;
  beforeAll(async () => {
    server = await greeter('hello from the host');
  });
  afterEach(async () => {
    await pool?.closeAll();
    await rig?.stopAll();
    rig = undefined;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  const port = () => (server.address() as net.AddressInfo).port;

  it('reaches a port on the host through the connection Docker calls use', async () => {
    rig = await startSshHosts(1, { allowTcpForwarding: true });
    pool = new HostPool();
    const strategy = pool.strategyFor(rig.hosts[0]!.config) as SshStrategy;
    await strategy.docker.ping();
    for (let i = 0; i < 3; i++) {
      expect(await readAll(await strategy.connection.forward('127.0.0.1', port()))).toBe(
        'hello from the host',
      );
    }
    expect(strategy.stats()).toMatchObject({ connects: 1, ready: 1 });
  });

  it('a host whose sshd forbids forwarding is refused with the sshd_config fix, not a hang', async () => {
    rig = await startSshHosts(1);
    pool = new HostPool();
    const strategy = pool.strategyFor(rig.hosts[0]!.config) as SshStrategy;
    const refused = strategy.connection.forward('127.0.0.1', port());
    await expect(refused).rejects.toThrow(
      /refused to forward a port to 127\.0\.0\.1:\d+ .*AllowTcpForwarding local/,
    );
    await expect(refused).rejects.toThrow(`host "${rig.hosts[0]!.name}"`);
  });
});
