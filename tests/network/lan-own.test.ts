// LAN mode with guestAddress "own", on the stand-in guest: the container joins a macvlan
// network on a Linux bridge made here (a LAN of our own) and the supervisor puts the guest on
// that LAN with its own MAC through a macvtap. A DHCP server on the LAN (dnsmasq from the
// windock image, in a container on the macvlan network, with router advertisements) gives the
// guest its own IPv4 lease and IPv6 prefix; a neighbour on the LAN reaches the guest's httpd at
// the guest's own addresses (and at static ones set inside the guest), which are not the
// container's. The container holds NET_ADMIN, MKNOD and a device cgroup rule for the macvtap
// major, nothing more. ipvlan cannot give a guest its own MAC: preflight refuses it
// (unit-tested there). Everything is removed even when a test fails.
import type { NicSpec } from '../../contract';
import { macvtapMajorOnHost } from '../../provider/resources/windows-vm/network-host';
import { ImageRig, type TestVm } from '../image/harness';
import { Results } from '../reliability/results';
import { uniqueName, WINDOCK_IMAGE } from '../rig/docker';
import { guestShell } from '../rig/guest-shell';
import { hostBridge, httpGetFrom, lanDhcpServer, runOn, sweepStale, testNetwork } from './servers';

const rig = new ImageRig('f8-lan-own');
const results = new Results();
const GUEST_MAC = '52:54:00:f8:00:21';
const CONTAINER_V4 = '192.168.218.10';
const DHCP_V4 = '192.168.218.2';
let vm: TestVm;
let lanNetwork: string;
let major: number;
const guest = (command: string) => guestShell(vm.docker, vm.container.id, command, 30_000);

/** Polls a guest command until its output matches (the guest configures itself in the background). */
async function guestUntil(command: string, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let output = '';
  while (Date.now() < deadline) {
    output = (await guest(command).catch(() => ({ stdout: '' }))).stdout;
    if (pattern.test(output)) return output;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`guest "${command}" never matched ${pattern}; last: ${output}`);
}

beforeAll(async () => {
  await sweepStale(rig.docker, ['f8-lan-own', 'f8-br', 'f8-dhcp', 'windock-f8-']);
  major = (await macvtapMajorOnHost(rig.docker, WINDOCK_IMAGE))!;
  const bridge = hostBridge(rig, uniqueName('f8-br').slice(0, 15));
  lanNetwork = await testNetwork(rig, {
    prefix: 'f8-lan-own',
    Driver: 'macvlan',
    EnableIPv6: true,
    Options: { parent: bridge },
    // Docker's IPAM hands out .1-.127; the LAN's DHCP server leases from .200.
    IPAM: {
      Config: [
        { Subnet: '192.168.218.0/24', IPRange: '192.168.218.0/25' },
        { Subnet: 'fd00:218::/64', IPRange: 'fd00:218::/80' },
      ],
    },
    Labels: { 'io.windock.test': 'network' },
  });
  const primary = await testNetwork(rig, { prefix: 'f8-lan-own-pri', Driver: 'bridge' });
  await lanDhcpServer(rig, lanNetwork, {
    prefix: 'f8-dhcp',
    dhcpRange: '192.168.218.200,192.168.218.250,255.255.255.0,1h',
    raPrefix: 'fd00:218::',
    address: DHCP_V4,
  });
  const nics: NicSpec[] = [
    {
      mode: 'lan',
      name: 'net0',
      model: 'virtio-net-pci',
      mac: GUEST_MAC,
      uplink: { subnetV4: '192.168.218.0/24', subnetV6: 'fd00:218::/64' },
      guestAddress: 'own',
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
    networks: { primary, lan: [{ network: lanNetwork, ipv4Address: CONTAINER_V4 }], macvtapMajor: major },
  });
  await vm.start();
  await vm.waitReady();
}, 300_000);
afterAll(async () => {
  results.flush();
  await rig.dispose();
});

describe('LAN mode, guestAddress "own" (macvtap on a macvlan network)', () => {
  it('the container holds NET_ADMIN, MKNOD and the macvtap device rule only, never privileged', async () => {
    const host = (await vm.inspect()).HostConfig;
    expect(host.Privileged).toBe(false);
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.CapAdd).toEqual(['NET_ADMIN', 'MKNOD']);
    expect(host.DeviceCgroupRules).toEqual([`c ${major}:* rwm`]);
    expect(host.Devices ?? []).toEqual([]);
  });

  it('QEMU holds no capability and has the macvtap open as fd 3', async () => {
    const pid = (await vm.status())!.qemuPid!;
    const result = await vm.exec(['sh', '-c', `grep CapEff /proc/${pid}/status; readlink /proc/${pid}/fd/3`]);
    expect(result.stdout).toMatch(/CapEff:\s+0000000000000000/);
    expect(result.stdout).toMatch(/^\/dev\/tap\d+$/m);
  });

  it("code the guest takes over (QEMU's credentials) cannot make a node for another VM's tap", async () => {
    const row = results.attackRow('macvtap device rule');
    // The rule allows the whole macvtap major (a minor is known only once the link exists in
    // the running container: provider/docker/network-options.ts), so the guard is that only
    // the supervisor holds MKNOD. With QEMU's capabilities (none, no new privileges), a node
    // for another minor of that major:
    const attempt = await vm.exec([
      'capsh',
      '--caps=',
      '--shell=/bin/sh',
      '--',
      '-c',
      `mknod /tmp/other-tap c ${major} 4000 && echo made`,
    ]);
    row.attack(attempt.stdout.includes('made'));
    expect(attempt.stdout).not.toContain('made');
    expect(attempt.stderr).toMatch(/not permitted/i);
    row.pass(
      'the rule is major-wide (Docker fixes rules before the link exists); MKNOD in the supervisor only',
    );
  });

  it('the guest has its own MAC and its own DHCP lease from the LAN, not the container address', async () => {
    expect((await guest('cat /sys/class/net/eth0/address')).stdout).toBe(GUEST_MAC);
    const lease = await guestUntil('cat /run/ip-eth0', /192\.168\.218\.2\d\d/, 60_000);
    const address = /192\.168\.218\.2\d\d/.exec(lease)![0];
    expect(Number(address.split('.')[3])).toBeGreaterThanOrEqual(200);
    const endpoint = (await vm.inspect()).NetworkSettings.Networks[lanNetwork]!;
    expect(endpoint.IPAddress).toBe(CONTAINER_V4);
    expect(address).not.toBe(endpoint.IPAddress);
    const neighbour = await runOn(rig, lanNetwork, httpGetFrom(address));
    expect(neighbour.output.trim().split('\n').pop()).toBe('windock-standin-ok');
  });

  it('the guest takes its own IPv6 address by SLAAC from the LAN router advertisements', async () => {
    // Past duplicate address detection: a tentative address does not answer yet.
    const addresses = await guestUntil(
      'ip -6 addr show dev eth0 scope global',
      /inet6 fd00:218::(?![^\n]*tentative)/,
      60_000,
    );
    const v6 = /inet6 (fd00:218::[0-9a-f:]+)\/64/.exec(addresses)![1]!;
    // EUI-64 from the guest's own MAC: 52:54:00:f8:00:21 -> 5054:ff:fef8:21.
    expect(v6).toBe('fd00:218::5054:ff:fef8:21');
    const neighbour = await runOn(rig, lanNetwork, httpGetFrom(v6));
    expect(neighbour.output.trim().split('\n').pop()).toBe('windock-standin-ok');
  });

  it('a static address set inside the guest answers on the LAN too (as Windows would set one)', async () => {
    const set = await guest(
      'ip addr add 192.168.218.150/24 dev eth0 && ip -6 addr add fd00:218::150/64 dev eth0 && echo set',
    );
    expect(set).toMatchObject({ stdout: 'set', stderr: '' });
    await guestUntil('ip -6 addr show dev eth0', /inet6 fd00:218::150\/64(?![^\n]*tentative)/, 30_000);
    for (const address of ['192.168.218.150', 'fd00:218::150']) {
      const neighbour = await runOn(rig, lanNetwork, httpGetFrom(address));
      expect(neighbour.output.trim().split('\n').pop()).toBe('windock-standin-ok');
    }
  });
});
