// NAT mode on the stand-in guest: a tap on a bridge inside the container, dnsmasq's one DHCP
// lease, a forwarded port from the host to the guest's httpd, and the egress policy deciding
// which servers on the container's Docker network the guest reaches. Also what the mode costs
// in privileges: QEMU runs with no capabilities, only the supervisor's helpers hold them.
import type { NicSpec } from '../../contract';
import { ImageRig, type TestVm } from '../image/harness';
import { guestShell } from '../rig/guest-shell';
import { httpGetInGuest, httpServer, testNetwork } from './servers';

const rig = new ImageRig('nat');
let vm: TestVm;
let allowed: string;
let allowedName: string;
let denied: string;
let vmAddress: string;

beforeAll(async () => {
  const network = await testNetwork(rig, { prefix: 'wdk-net-nat', Driver: 'bridge' });
  const allowedServer = await httpServer(rig, network, 'server-allowed');
  allowed = allowedServer.address;
  allowedName = (await allowedServer.container.inspect()).Name.replace(/^\//, '');
  denied = (await httpServer(rig, network, 'server-denied')).address;
  const nic: NicSpec = {
    mode: 'nat',
    name: 'net0',
    model: 'virtio-net-pci',
    mac: '52:54:00:f1:00:01',
    ports: [{ name: 'web', protocol: 'tcp', guest: 80, container: 20000 }],
    egress: { policy: 'internet', allow: [`${allowed}/32`] },
    subnetV4: '10.0.2.0/24',
  };
  vm = await rig.createVm({
    spec: { network: { nics: [nic], hostName: 'host.lan' } },
    networks: { primary: network, lan: [] },
  });
  await vm.start();
  await vm.waitReady();
  vmAddress = (await vm.inspect()).NetworkSettings.Networks[network]!.IPAddress;
}, 300_000);
afterAll(() => rig.dispose());

const guest = (command: string) => guestShell(vm.docker, vm.container.id, command, 30_000);

describe('NAT mode', () => {
  it('the guest takes the one DHCP lease, .2, with the gateway as router and DNS', async () => {
    const ip = await guest('cat /run/ip-eth0; ip -4 route show default');
    expect(ip.stdout).toContain('10.0.2.2');
    expect(ip.stdout).toMatch(/default via 10\.0\.2\.1/);
    const lookup = await guest('nslookup host.lan 10.0.2.1');
    expect(lookup.stdout).toMatch(/Address:?\s+10\.0\.2\.1/);
    // Other names go to the container's resolver (Docker's, which knows the servers by name);
    // with egress "none" they do not (tests/network/guest-services.test.ts).
    expect((await guest(`nslookup ${allowedName} 10.0.2.1`)).stdout).toContain(allowed);
  });

  it("a forwarded port reaches the guest's httpd from outside the container", async () => {
    // What Docker's proxy does for a published port: connect to the container's address.
    const response = await fetch(`http://${vmAddress}:20000/`, { signal: AbortSignal.timeout(10_000) });
    expect((await response.text()).trim()).toBe('windock-standin-ok');
  });

  it('egress "internet" keeps the guest off private networks but for its allow list', async () => {
    const ok = await guest(httpGetInGuest(allowed, 5));
    expect(ok.stdout).toMatch(/server-allowed$/);
    const blocked = await guest(httpGetInGuest(denied, 3));
    expect(blocked.stdout).not.toContain('server-denied');
    // The guest does reach the network: the drop is the policy, not a missing route.
    expect((await guest(`ping -c1 -W2 ${allowed} >/dev/null && echo up`)).stdout).toBe('up');
    expect((await guest(`ping -c1 -W2 ${denied} >/dev/null || echo dropped`)).stdout).toBe('dropped');
  });

  it('QEMU runs with no capabilities; dnsmasq and the supervisor hold NET_ADMIN only', async () => {
    const { stdout } = await vm.exec([
      'sh',
      '-c',
      'for p in /proc/[0-9]*; do echo "$(cat $p/comm) $(sed -n "s/^CapEff:\\s*//p" $p/status)"; done',
    ]);
    const caps = Object.fromEntries(
      stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ') as [string, string]),
    );
    const qemu = Object.keys(caps).find((name) => name.startsWith('qemu-'))!;
    expect(caps[qemu]).toBe('0000000000000000');
    // NET_ADMIN (bit 12), nothing else: an IPv4 guest link needs no NET_RAW (no RA).
    expect(caps['dnsmasq']).toBe('0000000000001000');
    expect(caps['node']).toBe('0000000000001000');
  });
});
