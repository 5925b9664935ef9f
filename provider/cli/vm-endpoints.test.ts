import { sampleSpec } from '../../contract/sample-spec';
import { publishedAddress, rdpContainerPort } from './vm-endpoints';

const ports = (bindings: Record<string, Array<{ HostIp: string; HostPort: string }> | null>) =>
  ({ NetworkSettings: { Ports: bindings } }) as never;

describe('where a VM port is on its host', () => {
  it('reads the binding Docker made; a wildcard bind is reached on the host loopback', () => {
    expect(
      publishedAddress(ports({ '8006/tcp': [{ HostIp: '127.0.0.1', HostPort: '41000' }] }), 8006),
    ).toEqual({
      host: '127.0.0.1',
      port: 41000,
    });
    expect(publishedAddress(ports({ '8006/tcp': [{ HostIp: '0.0.0.0', HostPort: '41000' }] }), 8006)).toEqual(
      {
        host: '127.0.0.1',
        port: 41000,
        wildcard: true,
      },
    );
    expect(publishedAddress(ports({ '3389/tcp': [{ HostIp: '::1', HostPort: '3390' }] }), 3389)).toEqual({
      host: '::1',
      port: 3390,
    });
  });
  it('is undefined for a port Docker did not bind (a stopped container)', () => {
    expect(publishedAddress(ports({ '8006/tcp': null }), 8006)).toBeUndefined();
    expect(publishedAddress(ports({}), 8006)).toBeUndefined();
  });
  it("finds RDP's container port in the spec", () => {
    expect(rdpContainerPort(sampleSpec())).toBe(3389);
    const noRdp = sampleSpec();
    noRdp.network.nics = [];
    expect(rdpContainerPort(noRdp)).toBeUndefined();
  });
});
