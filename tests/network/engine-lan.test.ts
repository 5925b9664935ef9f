// A WindowsVm with a NAT NIC and a LAN NIC (guestAddress "container") through the real Pulumi
// engine, on a macvlan Docker network hung on a Linux bridge made here (a LAN of our own): a
// neighbour on that LAN reaches the guest's httpd at the VM's static LAN address. Preview
// refuses a bridge network for a lan NIC, and an ipvlan network where the kernel has none.
// The bridge and networks are removed even when a test fails.
import { join } from 'node:path';
import { probeIpvlan } from '../../provider/resources/windows-vm/network-host';
import { Cleanup, localDocker, uniqueName, WINDOCK_IMAGE } from '../rig/docker';
import { PulumiRig, resourceSteps } from '../rig/pulumi';
import { standinVmArgs } from '../rig/standin-guest';
import {
  cleanupScope,
  hostBridge,
  httpGetUntilAnswered,
  lanNetworkOn,
  runOn,
  sweepStale,
  testNetwork,
} from './servers';

const docker = localDocker();
const cleanup = new Cleanup();
const scope = cleanupScope(docker, cleanup);
const name = uniqueName('wdk-elan');
const rig = new PulumiRig('engine-lan', 'test', join(__dirname, '..', 'pulumi', 'programs', 'one-vm.js'));
const bridge = uniqueName('f1b-br').slice(0, 15);
let lanNetwork = '';
const LAN_V4 = '192.168.214.10';
const vmArgs = (lan: string) =>
  standinVmArgs({
    name,
    readiness: 'agent',
    rdp: { enabled: false },
    ports: [{ name: 'web', guest: 80 }],
    nics: [{ mode: 'nat' }, { mode: 'lan', dockerNetwork: lan, ipv4Address: LAN_V4 }],
  });
const container = () => docker.getContainer(`windock-${name}`);

beforeAll(async () => {
  await sweepStale(docker, ['wdk-elan', 'windock-wdk-elan', 'f1b-br']);
  hostBridge(scope, bridge);
  lanNetwork = await lanNetworkOn(scope, bridge, {
    prefix: 'wdk-elan-mv',
    driver: 'macvlan',
    subnet: '192.168.214.0/24',
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

describe('WindowsVm with a lan NIC through the real engine', () => {
  it('preview refuses a bridge network for a lan NIC, naming the fix', async () => {
    const plain = await testNetwork(scope, {
      prefix: 'wdk-elan-br',
      Driver: 'bridge',
      IPAM: { Config: [{ Subnet: '192.168.215.0/24' }] },
    });
    const run = rig.run('preview', { vm: vmArgs(plain) });
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/is a "bridge" network; a lan NIC needs a macvlan or ipvlan network/);
  });

  it("preview checks ipvlan against the host's kernel (this one has none)", async () => {
    const ipvlan = await lanNetworkOn(scope, bridge, {
      prefix: 'wdk-elan-ipv',
      driver: 'ipvlan',
      subnet: '192.168.216.0/24',
    });
    const run = rig.run('preview', { vm: vmArgs(ipvlan) });
    if (await probeIpvlan(docker, WINDOCK_IMAGE)) expect(run.status).toBe(0);
    else expect(run.output).toMatch(/is ipvlan, but the kernel of host "local" has no ipvlan support/);
  });

  it('pulumi up joins the macvlan network at the static address; a LAN neighbour reaches the guest', async () => {
    const run = rig.ok('up', { vm: vmArgs(lanNetwork) });
    expect(resourceSteps(run).map((s) => s.op)).toEqual(['create']);
    const info = await container().inspect();
    expect(info.NetworkSettings.Networks[lanNetwork]!.IPAddress).toBe(LAN_V4);
    expect([...(info.HostConfig.CapAdd ?? [])].sort()).toEqual(['NET_ADMIN']);
    const { output } = await runOn(scope, lanNetwork, httpGetUntilAnswered(LAN_V4));
    expect(output.trim().split('\n').pop()).toBe('windock-standin-ok');
    // Published ports live on the default bridge, which Docker picks as the gateway network over
    // the LAN network because its name sorts first: the forwarded port and the console answer.
    const published = (port: string) => info.NetworkSettings.Ports[port]?.[0]?.HostPort;
    const web = await fetch(`http://127.0.0.1:${published('20000/tcp')}/`).then((r) => r.text());
    expect(web).toContain('windock-standin-ok');
    const consoleStatus = await fetch(`http://127.0.0.1:${published('8006/tcp')}/`).then((r) => r.status);
    expect(consoleStatus).toBe(401); // it answers, and wants its token
  });

  it('pulumi destroy leaves no container', async () => {
    rig.ok('destroy', { vm: vmArgs(lanNetwork) });
    await expect(container().inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});
