// What the guest of a NAT NIC with egress "none" can get out of the container's services, tried
// as an attacker in the guest would: dnsmasq (its DHCP and DNS server) runs with NET_ADMIN only,
// none of the supervisor's other capabilities, and resolves host.lan but forwards no other
// name, so DNS is no tunnel out of a guest that may reach nowhere. The "external" name is a
// container on the VM's Docker network: Docker's resolver, dnsmasq's upstream, knows it.
import type { NicSpec } from '../../contract';
import { ImageRig, type TestVm } from '../image/harness';
import { guestShell } from '../rig/guest-shell';
import { Results } from '../reliability/results';
import { ensureBusyboxImage } from '../rig/ssh-hosts';
import { httpServer, testNetwork } from './servers';

const rig = new ImageRig('gsvc');
const results = new Results();
const NET_ADMIN = 1n << 12n;
let vm: TestVm;
let serverName: string;
let serverAddress: string;

beforeAll(async () => {
  ensureBusyboxImage();
  const network = await testNetwork(rig, { prefix: 'wdk-gsvc', Driver: 'bridge' });
  const server = await httpServer(rig, network, 'server-outside');
  serverName = (await server.container.inspect()).Name.replace(/^\//, '');
  serverAddress = server.address;
  const nic: NicSpec = {
    mode: 'nat',
    name: 'net0',
    model: 'virtio-net-pci',
    mac: '52:54:00:f1:00:31',
    ports: [],
    egress: { policy: 'none', allow: [] },
    subnetV4: '10.0.2.0/24',
  };
  vm = await rig.createVm({
    spec: { network: { nics: [nic], hostName: 'host.lan' } },
    networks: { primary: network, lan: [] },
  });
  await vm.start();
  await vm.waitReady();
}, 300_000);
afterAll(async () => {
  results.flush();
  await rig.dispose();
});

const guest = (command: string) => guestShell(vm.docker, vm.container.id, command, 30_000);

/** Each process of the container by name, with its effective and permitted capabilities. */
async function processCaps(): Promise<Array<{ name: string; eff: bigint; prm: bigint; nnp: string }>> {
  const { stdout } = await vm.exec([
    'sh',
    '-c',
    'for p in /proc/[0-9]*; do s=$(cat $p/status 2>/dev/null) || continue; ' +
      'echo "$(cat $p/comm) $(echo "$s" | sed -n "s/^CapEff:\\s*//p") $(echo "$s" | sed -n "s/^CapPrm:\\s*//p") $(echo "$s" | sed -n "s/^NoNewPrivs:\\s*//p")"; done',
  ]);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' '))
    .map(([name, eff, prm, nnp]) => ({
      name: name!,
      eff: BigInt(`0x${eff}`),
      prm: BigInt(`0x${prm}`),
      nnp: nnp!,
    }));
}

describe('the guest against the services of a NAT container with egress "none"', () => {
  it("dnsmasq holds NET_ADMIN only (IPv4 link), none of the supervisor's other capabilities", async () => {
    const row = results.attackRow('dnsmasq capabilities');
    const all = await processCaps();
    const dnsmasq = all.filter((p) => p.name === 'dnsmasq');
    expect(dnsmasq).toHaveLength(1);
    // The attack: a dnsmasq the guest took over uses any capability beyond the one it needs
    // (with shares the supervisor also holds SETUID/SETGID: tests/shares/shares-nat.test.ts).
    for (const process of dnsmasq) {
      row.attack((process.eff & ~NET_ADMIN) !== 0n || (process.prm & ~NET_ADMIN) !== 0n);
      expect(process.eff.toString(16)).toBe(NET_ADMIN.toString(16));
      expect(process.prm.toString(16)).toBe(NET_ADMIN.toString(16));
      expect(process.nnp).toBe('1');
    }
    // And it still does its job: the guest has its one lease and resolves host.lan.
    expect((await guest('cat /run/ip-eth0')).stdout).toContain('10.0.2.2');
    expect((await guest('nslookup host.lan 10.0.2.1')).stdout).toMatch(/Address:?\s+10\.0\.2\.1/);
    row.pass();
  });

  it('dnsmasq resolves no outside name for the guest: DNS is no tunnel', async () => {
    const row = results.attackRow('egress none DNS tunnel');
    // The name is resolvable upstream: the container itself (Docker's resolver) knows it.
    const upstream = await vm.exec(['getent', 'hosts', serverName]);
    expect(upstream.stdout).toContain(serverAddress);
    for (const name of [serverName, `${serverName}.`]) {
      const lookup = await guest(`nslookup ${name} 10.0.2.1 2>&1; echo rc=$?`);
      const through = lookup.stdout.includes(serverAddress);
      row.attack(through);
      expect(through).toBe(false);
      expect(lookup.stdout).not.toMatch(/rc=0$/);
    }
    row.pass();
  });
});
