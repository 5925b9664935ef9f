import type { HostConfig } from '../hosts';
import { hostPort, reach } from './reach';

const tls = { name: 'lab-2', kind: 'tcp-tls', host: '10.0.0.12', port: 2376 } as HostConfig;

describe('reaching a VM port from here', () => {
  it('on the local host: the address as it is, no tunnel', async () => {
    const reached = await reach(
      { name: 'local', kind: 'local' } as HostConfig,
      { host: '127.0.0.1', port: 41000 },
      0,
      () => undefined,
    );
    expect(reached).toEqual({ host: '127.0.0.1', port: 41000 });
  });

  it('on a TCP+TLS host: a wildcard bind by the host address; its loopback is refused with the fix', async () => {
    await expect(
      reach(tls, { host: '127.0.0.1', port: 41000, wildcard: true }, 0, () => undefined),
    ).resolves.toEqual({
      host: '10.0.0.12',
      port: 41000,
    });
    await expect(reach(tls, { host: '127.0.0.1', port: 41000 }, 0, () => undefined)).rejects.toThrow(
      /TCP\+TLS, which carries no tunnel.*reach the host over SSH/,
    );
  });

  it('writes IPv6 hosts in brackets', () => {
    expect(hostPort({ host: '::1', port: 3389 })).toBe('[::1]:3389');
    expect(hostPort({ host: '127.0.0.1', port: 3389 })).toBe('127.0.0.1:3389');
  });
});
