// LAN mode (guestAddress "container") with two NICs at once, on the stand-in guest: the
// container joins a macvlan network on a Linux bridge made here (a LAN of our own) with a
// static IPv4 and IPv6 address; a neighbour on that LAN fetches http://<address>/ and gets the
// guest's page. The same VM's second NIC is NAT with a forwarded port. ipvlan cannot run
// here (not in this kernel): preflight refuses it, unit-tested there.
import type { NicSpec } from '../../contract';
import { ImageRig, type TestVm } from '../image/harness';
import { guestShell } from '../rig/guest-shell';
import { uniqueName } from '../rig/docker';
import { hostBridge, httpGetFrom, runOn, sweepStale, testNetwork } from './servers';

const rig = new ImageRig('lan');
let vm: TestVm;
let lanNetwork: string;
let natAddress: string;
const LAN_V4 = '192.168.213.10';
const LAN_V6 = 'fd00:213::10';

beforeAll(async () => {
  await sweepStale(rig.docker, ['wdk-net-lan', 'wdk-net-nat2', 'f1-lan']);
  const bridge = hostBridge(rig, uniqueName('f1-lan').slice(0, 15));
  lanNetwork = await testNetwork(rig, {
    prefix: 'wdk-net-lan',
    Driver: 'macvlan',
    EnableIPv6: true,
    Options: { parent: bridge },
    IPAM: { Config: [{ Subnet: '192.168.213.0/24' }, { Subnet: 'fd00:213::/64' }] },
  });
  const natNetwork = await testNetwork(rig, { prefix: 'wdk-net-nat2', Driver: 'bridge' });
  const nics: NicSpec[] = [
    {
      mode: 'nat',
      name: 'net0',
      model: 'virtio-net-pci',
      mac: '52:54:00:f1:00:11',
      ports: [{ name: 'web', protocol: 'tcp', guest: 80, container: 20000 }],
      egress: { policy: 'internet', allow: [] },
      subnetV4: '10.0.2.0/24',
    },
    {
      mode: 'lan',
      name: 'net1',
      model: 'virtio-net-pci',
      mac: '52:54:00:f1:40:11',
      uplink: { subnetV4: '192.168.213.0/24', subnetV6: 'fd00:213::/64' },
      guestAddress: 'container',
      excludePorts: [8006],
      egress: { policy: 'all', allow: [] },
      subnetV4: '10.0.3.0/24',
      subnetV6: 'fd00:3::/64',
    },
  ];
  vm = await rig.createVm({
    spec: {
      network: { nics, hostName: 'host.lan' },
      // IPv6 on in the guest (the fast command line switches it off).
      boot: {
        kind: 'kernel',
        kernel: '/storage/boot/vmlinuz',
        initrd: '/storage/boot/initrd.img',
        cmdline: 'console=ttyS0 quiet',
      },
    },
    networks: {
      primary: natNetwork,
      lan: [{ network: lanNetwork, ipv4Address: LAN_V4, ipv6Address: LAN_V6 }],
    },
  });
  await vm.start();
  await vm.waitReady();
  natAddress = (await vm.inspect()).NetworkSettings.Networks[natNetwork]!.IPAddress;
}, 300_000);
afterAll(() => rig.dispose());

describe('LAN mode (macvlan) beside a NAT NIC', () => {
  it('the container holds its static LAN addresses', async () => {
    const endpoint = (await vm.inspect()).NetworkSettings.Networks[lanNetwork]!;
    expect(endpoint.IPAddress).toBe(LAN_V4);
    expect(endpoint.GlobalIPv6Address).toBe(LAN_V6);
  });

  it('each NIC takes its own DHCP lease in the guest', async () => {
    const { stdout } = await guestShell(vm.docker, vm.container.id, 'cat /run/ip-eth0 /run/ip-eth1', 30_000);
    expect(stdout).toContain('10.0.2.2');
    expect(stdout).toContain('10.0.3.2');
  });

  it('a neighbour on the LAN reaches the guest at the static IPv4 address', async () => {
    const v4 = await runOn(rig, lanNetwork, httpGetFrom(LAN_V4));
    expect(v4.output.trim().split('\n').pop()).toBe('windock-standin-ok');
  });

  it('the guest link has IPv6 by router advertisement; the LAN v6 address reaches the guest', async () => {
    const guest = (command: string) => guestShell(vm.docker, vm.container.id, command, 30_000);
    // SLAAC from dnsmasq's router advertisements on br-net1.
    const deadline = Date.now() + 20_000;
    let addresses = '';
    while (!/inet6 fd00:3:/.test(addresses) && Date.now() < deadline)
      addresses = (await guest('ip -6 addr show dev eth1')).stdout;
    expect(addresses).toMatch(/inet6 fd00:3::[0-9a-f:]+\/64/);
    // The busybox guest has no DHCPv6 client: take the ::2 lease by hand, as Windows would by DHCPv6.
    expect((await guest('ip -6 addr add fd00:3::2/64 dev eth1 && sleep 2 && echo added')).stdout).toBe(
      'added',
    );
    const v6 = await runOn(rig, lanNetwork, httpGetFrom(LAN_V6));
    expect(v6.output.trim().split('\n').pop()).toBe('windock-standin-ok');
  });

  it('the NAT NIC still forwards its port to the guest', async () => {
    const response = await fetch(`http://${natAddress}:20000/`, { signal: AbortSignal.timeout(10_000) });
    expect((await response.text()).trim()).toBe('windock-standin-ok');
  });
});
