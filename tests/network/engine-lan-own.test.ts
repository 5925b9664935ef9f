// A WindowsVm with one lan NIC, guestAddress "own", through the real Pulumi engine, on a
// macvlan Docker network hung on a Linux bridge made here (a LAN of our own) with a DHCP server
// on it (dnsmasq from the windock image): the guest takes its own lease, a neighbour on the LAN
// reaches its httpd there, and the container holds NET_ADMIN, MKNOD and the macvtap device
// rule only. Preview refuses "own" on an ipvlan network (no MAC of its own there). The bridge,
// networks and containers are removed even when a test fails.
import { join } from 'node:path';
import { Cleanup, localDocker, uniqueName } from '../rig/docker';
import { guestShell } from '../rig/guest-shell';
import { PulumiRig, resourceSteps } from '../rig/pulumi';
import { standinVmArgs } from '../rig/standin-guest';
import {
  cleanupScope,
  hostBridge,
  httpGetUntilAnswered,
  lanDhcpServer,
  lanNetworkOn,
  runOn,
  sweepStale,
} from './servers';

const docker = localDocker();
const cleanup = new Cleanup();
const scope = cleanupScope(docker, cleanup);
const name = uniqueName('f8-eown');
const rig = new PulumiRig(
  'f8-engine-lan-own',
  'test',
  join(__dirname, '..', 'pulumi', 'programs', 'one-vm.js'),
);
const bridge = uniqueName('f8-ebr').slice(0, 15);
let lanNetwork = '';
const vmArgs = (lan: string) =>
  standinVmArgs({
    name,
    readiness: 'agent',
    rdp: { enabled: false },
    nics: [{ mode: 'lan', dockerNetwork: lan, guestAddress: 'own' }],
  });
const container = () => docker.getContainer(`windock-${name}`);

beforeAll(async () => {
  await sweepStale(docker, ['f8-eown', 'windock-f8-eown', 'f8-ebr', 'f8-edhcp']);
  hostBridge(scope, bridge);
  // Docker's IPAM hands out .1-.127 (the container's own address); the DHCP server leases from .200.
  lanNetwork = await lanNetworkOn(scope, bridge, {
    prefix: 'f8-eown-mv',
    driver: 'macvlan',
    subnet: '192.168.219.0/24',
    ipRange: '192.168.219.0/25',
  });
  await lanDhcpServer(scope, lanNetwork, {
    prefix: 'f8-edhcp',
    dhcpRange: '192.168.219.200,192.168.219.250,255.255.255.0,1h',
  });
});
afterAll(async () => {
  rig.run('destroy', { vm: vmArgs(lanNetwork) });
  await container()
    .remove({ force: true, v: true })
    .catch(() => undefined);
  await cleanup.run();
  rig.dispose();
}, 300_000);

describe('WindowsVm with a lan NIC, guestAddress "own", through the real engine', () => {
  it('preview refuses guestAddress "own" on an ipvlan network, naming the fix', async () => {
    const ipvlan = await lanNetworkOn(scope, bridge, {
      prefix: 'f8-eown-ipv',
      driver: 'ipvlan',
      subnet: '192.168.220.0/24',
    });
    const run = rig.run('preview', { vm: vmArgs(ipvlan) });
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(
      /guestAddress "own" needs a macvlan network, and Docker network ".*" is ipvlan/,
    );
  });

  it('pulumi up puts the guest on the LAN with its own lease; a LAN neighbour reaches it there', async () => {
    const run = rig.ok('up', { vm: vmArgs(lanNetwork) });
    expect(resourceSteps(run).map((s) => s.op)).toEqual(['create']);
    const info = await container().inspect();
    expect(info.HostConfig.Privileged).toBe(false);
    expect([...(info.HostConfig.CapAdd ?? [])].sort()).toEqual(['MKNOD', 'NET_ADMIN']);
    expect(info.HostConfig.DeviceCgroupRules).toEqual([expect.stringMatching(/^c \d+:\* rwm$/)]);
    const containerAddress = info.NetworkSettings.Networks[lanNetwork]!.IPAddress;
    let lease = '';
    for (let i = 0; i < 60 && !/192\.168\.219\.2\d\d/.test(lease); i++) {
      lease = (await guestShell(docker, info.Id, 'cat /run/ip-eth0', 30_000).catch(() => ({ stdout: '' })))
        .stdout;
      if (!/192\.168\.219\.2\d\d/.test(lease)) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const address = /192\.168\.219\.2\d\d/.exec(lease)?.[0];
    expect(address).toBeDefined();
    expect(address).not.toBe(containerAddress);
    const { output } = await runOn(scope, lanNetwork, httpGetUntilAnswered(address!));
    expect(output.trim().split('\n').pop()).toBe('windock-standin-ok');
  });

  it('pulumi destroy leaves no container', async () => {
    rig.ok('destroy', { vm: vmArgs(lanNetwork) });
    await expect(container().inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});
