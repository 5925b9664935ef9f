import type { HostConfig } from '../../hosts';
import { checkWindowsVm } from './check';
import { portAddresses } from './port-addresses';

const local = { name: 'local', kind: 'local' } as HostConfig;
const ssh = { name: 'lab-1', kind: 'ssh', host: 'lab-1.example', port: 22 } as HostConfig;
const vm = {
  console: { enabled: true, bind: '127.0.0.1' },
  rdp: { enabled: true, bind: '0.0.0.0' },
  ports: [
    { name: 'dns', guest: 53, protocol: 'udp', bind: '127.0.0.1' },
    { name: 'web', guest: 80, protocol: 'tcp', bind: '0.0.0.0' },
  ],
} as unknown as Parameters<typeof portAddresses>[0];
// What Docker bound, keyed as publishedPorts is: ports[i] is container port 20000 + i.
const published = {
  '8006/tcp': 32768,
  '3389/tcp': 32769,
  '3389/udp': 32770,
  '20000/udp': 32771,
  '20001/tcp': 32772,
};

describe('portAddresses', () => {
  it('names each published port: console, rdp and every ports entry, at its bind address', () =>
    expect(portAddresses(vm, published, local)).toEqual({
      console: '127.0.0.1:32768',
      rdp: '127.0.0.1:32769',
      dns: '127.0.0.1:32771',
      web: '127.0.0.1:32772',
    }));

  it("an open bind on a remote host is the host's address; loopback stays loopback", () =>
    expect(portAddresses(vm, published, ssh)).toMatchObject({
      console: '127.0.0.1:32768',
      rdp: 'lab-1.example:32769',
      web: 'lab-1.example:32772',
    }));

  it('leaves out what Docker has not bound (a stopped VM)', () =>
    expect(portAddresses(vm, {}, local)).toEqual({}));
});

describe('port names', () => {
  const media = { kind: 'disk-image', file: '/images/win11.qcow2', format: 'qcow2' };
  it('"console" names the console while it is on, so a port of that name is refused', () => {
    const outcome = checkWindowsVm({}, { name: 'vm-1', media, ports: [{ name: 'console', guest: 80 }] });
    expect(outcome.ok ? [] : outcome.failures.map((f) => f.reason)).toEqual([
      expect.stringMatching(/duplicate port "console": names must be unique .*rename it/),
    ]);
    expect(
      checkWindowsVm(
        {},
        { name: 'vm-1', media, console: { enabled: false }, ports: [{ name: 'console', guest: 80 }] },
      ).ok,
    ).toBe(true);
  });
});
