// Where the console listens (issue #15, finding 6): it used to listen on 0.0.0.0:8006 in the
// container, so a guest reached it (user mode: 10.0.2.2:8006 is the container's loopback; NAT:
// the bridge gateway) and on a LAN NIC it answered at the container's LAN address whatever
// console.bind said. Now it listens on the container's primary network only (where Docker's
// published port arrives) and refuses connections from the guest. Tried from inside the
// stand-in guest in user mode and in NAT mode, and from a neighbour on a macvlan LAN.
import type { NicSpec } from '../../contract';
import { uniqueName } from '../rig/docker';
import { guestShell } from '../rig/guest-shell';
import { hostBridge, lanNetworkOn, runOn, sweepStale, testNetwork } from '../network/servers';
import { Results } from '../reliability/results';
import { CONSOLE_TOKEN, ImageRig, type TestVm } from './harness';

const results = new Results();
const rig = new ImageRig('cls');
let userVm: TestVm;
let natVm: TestVm;
let lanNetwork: string;
let primaryNetwork: string;
const LAN_V4 = '192.168.217.10';

beforeAll(async () => {
  await sweepStale(rig.docker, ['wdk-cls-zlan', 'wdk-cls-apri', 'cls-lan']);
  const bridge = hostBridge(rig, uniqueName('cls-lan').slice(0, 15));
  lanNetwork = await lanNetworkOn(rig, bridge, {
    prefix: 'wdk-cls-zlan',
    driver: 'macvlan',
    subnet: '192.168.217.0/24',
  });
  // Docker (20.10) publishes ports through the network that sorts first by name: the primary.
  primaryNetwork = await testNetwork(rig, { prefix: 'wdk-cls-apri', Driver: 'bridge' });
  const nics: NicSpec[] = [
    {
      mode: 'nat',
      name: 'net0',
      model: 'virtio-net-pci',
      mac: '52:54:00:c1:00:01',
      ports: [],
      egress: { policy: 'all', allow: [] },
      subnetV4: '10.0.2.0/24',
    },
    {
      mode: 'lan',
      name: 'net1',
      model: 'virtio-net-pci',
      mac: '52:54:00:c1:00:02',
      uplink: { subnetV4: '192.168.217.0/24' },
      guestAddress: 'container',
      excludePorts: [8006],
      egress: { policy: 'all', allow: [] },
      subnetV4: '10.0.3.0/24',
    },
  ];
  userVm = await rig.createVm({ publishConsole: true });
  natVm = await rig.createVm({
    publishConsole: true,
    spec: { network: { nics, hostName: 'host.lan' } },
    networks: { primary: primaryNetwork, lan: [{ network: lanNetwork, ipv4Address: LAN_V4 }] },
  });
  await Promise.all([userVm.start(), natVm.start()]);
  await Promise.all([userVm.waitReady(180_000), natVm.waitReady(180_000)]);
}, 300_000);
afterAll(async () => {
  results.flush();
  await rig.dispose();
});

/** A guest shell command: an HTTP request to address:8006 with busybox nc; prints the reply. */
const consoleRequest = (address: string) =>
  `printf 'GET /?token=${CONSOLE_TOKEN} HTTP/1.0\\r\\n\\r\\n' | nc -w 4 ${address} 8006 2>&1; true`;

/** The container's address on its primary network (where Docker's published port arrives). */
async function primaryAddress(vm: TestVm): Promise<string> {
  const networks = (await vm.inspect()).NetworkSettings.Networks;
  const [, endpoint] = Object.entries(networks).find(([name]) => name !== lanNetwork)!;
  return endpoint.IPAddress;
}

/** Whether the console still answers where it should: the published port on the host. */
async function publishedAnswers(vm: TestVm): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${await vm.hostPort(8006)}/?token=${CONSOLE_TOKEN}`, {
    redirect: 'manual',
  });
  return response.status;
}

it('a user-mode guest reaches the console neither at 10.0.2.2 nor at the container address', async () => {
  const row = results.attackRow('console from the guest (user mode)');
  const targets = ['10.0.2.2', await primaryAddress(userVm)];
  for (const target of targets) {
    const reply = await guestShell(userVm.docker, userVm.container.id, consoleRequest(target), 30_000);
    row.attack(reply.stdout.includes('HTTP/'));
    expect(reply.stdout).not.toContain('HTTP/');
  }
  expect(await publishedAnswers(userVm)).toBe(303);
  row.pass();
});

it('a NAT guest reaches the console neither at its gateways nor at the container address', async () => {
  const row = results.attackRow('console from the guest (NAT mode)');
  const targets = ['10.0.2.1', '10.0.3.1', await primaryAddress(natVm), LAN_V4];
  for (const target of targets) {
    const reply = await guestShell(natVm.docker, natVm.container.id, consoleRequest(target), 30_000);
    row.attack(reply.stdout.includes('HTTP/'));
    expect(reply.stdout).not.toContain('HTTP/');
  }
  expect(await publishedAnswers(natVm)).toBe(303);
  row.pass();
});

it("a LAN neighbour gets no console at the container's LAN address", async () => {
  const row = results.attackRow('console on a LAN NIC');
  const { output } = await runOn(rig, lanNetwork, consoleRequest(LAN_V4).replace('; true', ''));
  row.attack(output.includes('HTTP/'));
  expect(output).not.toContain('HTTP/');
  // The published port (console.bind) still serves it.
  expect(await publishedAnswers(natVm)).toBe(303);
  row.pass();
});
