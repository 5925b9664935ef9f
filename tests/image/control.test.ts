// Control stays inside the container: QMP, the guest agent and VNC are unix sockets reached
// through `docker exec`; the only TCP listener is the console's web server (plus the guest
// port forwards the spec declares, none here).
import { ImageRig, type TestVm } from './harness';
import { withMacs } from '../../contract';
import { standinSpec } from '../rig/standin-guest';

const rig = new ImageRig('ctl');
let vm: TestVm;

beforeAll(async () => {
  vm = await rig.createVm({
    publishConsole: true,
    spec: { network: withMacs(standinSpec().network, '52:54:00:12:34:57', { noPorts: true }) },
  });
  await vm.start();
  await vm.waitReady();
}, 300_000);
afterAll(() => rig.dispose());

/** Listening TCP ports inside the container, from /proc/net/tcp{,6} (state 0A = LISTEN). */
async function listeningPorts(): Promise<number[]> {
  const { stdout } = await vm.exec(['cat', '/proc/net/tcp', '/proc/net/tcp6']);
  const ports = stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === '0A')
    .map((fields) => parseInt(fields[1]!.split(':').pop()!, 16));
  return [...new Set(ports)].sort((a, b) => a - b);
}

describe('control channels', () => {
  it('listens on TCP only for the console (8006): no QMP, VNC or agent port', async () => {
    expect(await listeningPorts()).toEqual([8006]);
    const { stdout } = await vm.exec(['cat', '/proc/net/udp', '/proc/net/udp6']);
    const udp = stdout.split('\n').filter((line) => /^\s*\d+:/.test(line));
    expect(udp).toEqual([]);
  });

  it('keeps QMP, the agent, VNC and the beacon on unix sockets in /run/windock', async () => {
    for (const socket of ['qmp.sock', 'qmp-supervisor.sock', 'qga.sock', 'vnc.sock', 'beacon.sock']) {
      expect({ socket, exit: (await vm.exec(['test', '-S', `/run/windock/${socket}`])).exitCode }).toEqual({
        socket,
        exit: 0,
      });
    }
    // QEMU's command line names no TCP endpoint for any of them.
    const { stdout } = await vm.exec([
      'sh',
      '-c',
      'for p in /proc/[0-9]*; do tr "\\0" "\\n" <$p/cmdline; echo @@; done',
    ]);
    const argv = stdout
      .split('@@\n')
      .map((block) => block.split('\n').filter(Boolean))
      .find((args) => args[0] === 'qemu-system-x86_64');
    expect(argv).toBeDefined();
    const after = (flag: string) => argv!.flatMap((arg, i) => (arg === flag ? [argv![i + 1]!] : []));
    expect(after('-vnc')).toEqual(['unix:/run/windock/vnc.sock']);
    const sockets = after('-chardev').filter((chardev) => chardev.startsWith('socket,'));
    expect(sockets.length).toBeGreaterThanOrEqual(4);
    for (const chardev of sockets) {
      expect(chardev).toMatch(/,path=\/run\/windock\/[a-z-]+\.sock/);
      expect(chardev).not.toMatch(/host=|port=/);
    }
    for (const flag of ['-qmp', '-monitor', '-gdb', '-s', '-spice', '-incoming'])
      expect(argv).not.toContain(flag);
  });

  it('answers QMP and the guest agent through docker exec', async () => {
    const qmp = await vm.qmp();
    expect(await qmp.execute('query-status')).toMatchObject({ running: true, status: 'running' });
    await vm.waitForStatus('the guest agent', (s) => s.guest.agent, 60_000);
    const agent = await vm.agent();
    await agent.ping();
    const { stdout } = await vm.guestRun(agent, '/bin/cat', ['/run/boot']);
    expect(stdout.trim()).toBe('1');
  });

  it('the /run/windock tmpfs is private to the container and not executable', async () => {
    const { stdout } = await vm.exec(['cat', '/proc/mounts']);
    const run = stdout.split('\n').find((line) => line.split(' ')[1] === '/run/windock');
    expect(run).toMatch(/^tmpfs \/run\/windock tmpfs .*noexec/);
    expect((await vm.exec(['stat', '-c', '%a', '/run/windock'])).stdout.trim()).toBe('700');
  });
});
