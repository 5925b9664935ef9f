// A WindowsVm with network "nat" through the real Pulumi engine (file backend) on the local
// Docker engine, with the stand-in guest under TCG: the host reaches the guest's httpd through
// a published, forwarded port; the container holds exactly the NAT mode's privileges and sits
// on the per-host isolated network, where other containers (other VMs) cannot reach it and the
// guest cannot reach them; a nics change previews as a restart; destroy leaves nothing.
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { ISOLATED_NETWORK } from '../../provider/docker/network-options';
import { Cleanup, demux, localDocker, uniqueName } from '../rig/docker';
import { guestShell } from '../rig/guest-shell';
import { PulumiRig, resourceSteps } from '../rig/pulumi';
import { standinVmArgs } from '../rig/standin-guest';
import { ensureBusyboxImage } from '../rig/ssh-hosts';
import { httpGetInGuest } from './servers';

const docker = localDocker();
const cleanup = new Cleanup();
const name = uniqueName('wdk-enat');
const rig = new PulumiRig('engine-nat', 'test', join(__dirname, '..', 'pulumi', 'programs', 'one-vm.js'));
const base = standinVmArgs({
  name,
  readiness: 'agent',
  network: 'nat',
  ports: [{ name: 'web', guest: 80 }],
  rdp: { enabled: false },
});
const config = (vm: Record<string, unknown>) => ({ vm: { ...base, ...vm } });
const container = () => docker.getContainer(`windock-${name}`);
const guest = (command: string) => guestShell(docker, `windock-${name}`, command, 30_000);

/** A busybox container on `network` (another VM's container, as far as the network goes). */
async function busybox(network: string, script: string): Promise<Dockerode.Container> {
  const box = await docker.createContainer({
    name: uniqueName('wdk-enat-box'),
    Image: ensureBusyboxImage(), // built on first use: a fresh engine has none
    Entrypoint: ['sh', '-c', script],
    Labels: { 'io.windock.test': 'network' },
    HostConfig: { NetworkMode: network, CapDrop: ['ALL'], CapAdd: ['NET_BIND_SERVICE'] },
  });
  cleanup.add(() => box.remove({ force: true }));
  await box.start();
  return box;
}

/** GET http://127.0.0.1:port/ until the guest's httpd answers (it starts after the agent). */
async function fetchUntil(url: string, deadlineMs: number): Promise<string> {
  let last: unknown;
  while (Date.now() < deadlineMs) {
    try {
      return (await (await fetch(url, { signal: AbortSignal.timeout(5_000) })).text()).trim();
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  throw new Error(`${url} did not answer: ${String(last)}`);
}

afterAll(async () => {
  rig.run('destroy', config({}));
  await cleanup.run();
  rig.dispose();
}, 300_000);
cleanup.add(() => container().remove({ force: true }));

/** The VM's outputs as the stack's state holds them. */
function vmOutputs(): Record<string, any> {
  const state = JSON.parse(rig.stateText());
  return state.checkpoint.latest.resources.find((r: any) => r.type.endsWith('windock:WindowsVm')).outputs;
}

let volumeName = '';
let info: Dockerode.ContainerInspectInfo;

describe('WindowsVm network "nat" through the real engine', () => {
  it("pulumi up creates the VM; the published port reaches the guest's httpd", async () => {
    const run = rig.ok('up', config({}));
    expect(resourceSteps(run).map((s) => s.op)).toEqual(['create']);
    info = await container().inspect();
    volumeName = info.Mounts.find((m) => m.Destination === '/storage')!.Name!;
    cleanup.add(() => docker.getVolume(volumeName).remove());
    const binding = info.NetworkSettings.Ports['20000/tcp']![0]!;
    expect(binding.HostIp).toBe('127.0.0.1');
    // The port by its name: portAddresses maps "web" to where publishedPorts says "20000/tcp" went.
    const { portAddresses } = vmOutputs();
    expect(portAddresses).toEqual({
      web: `127.0.0.1:${binding.HostPort}`,
      console: `127.0.0.1:${info.NetworkSettings.Ports['8006/tcp']![0]!.HostPort}`,
    });
    const body = await fetchUntil(`http://${portAddresses.web}/`, Date.now() + 60_000);
    expect(body).toBe('windock-standin-ok');
  });

  it('docker inspect shows exactly the NAT capabilities, /dev/net/tun and the isolated network', () => {
    const host = info.HostConfig;
    expect(host.Privileged).toBe(false);
    expect(host.CapDrop).toEqual(['ALL']);
    expect([...(host.CapAdd ?? [])].sort()).toEqual(['NET_ADMIN']);
    expect((host.Devices ?? []).map((d: { PathOnHost: string }) => d.PathOnHost)).toEqual(['/dev/net/tun']);
    expect(host.SecurityOpt).toContain('no-new-privileges:true');
    expect((host as { Sysctls?: Record<string, string> }).Sysctls).toEqual({ 'net.ipv4.ip_forward': '1' });
    expect(host.NetworkMode).toBe(ISOLATED_NETWORK);
    expect(Object.keys(info.NetworkSettings.Networks)).toEqual([ISOLATED_NETWORK]);
  });

  it("the isolated network keeps containers apart: no other container reaches the VM's", async () => {
    const network = await docker.getNetwork(ISOLATED_NETWORK).inspect();
    expect(network.Options?.['com.docker.network.bridge.enable_icc']).toBe('false');
    const vmAddress = info.NetworkSettings.Networks[ISOLATED_NETWORK]!.IPAddress;
    const box = await busybox(
      ISOLATED_NETWORK,
      `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${vmAddress} 20000 | tail -n 1; echo done`,
    );
    await box.wait();
    const output = demux((await box.logs({ stdout: true, stderr: true })) as unknown as Buffer);
    expect(output).toContain('done');
    expect(output).not.toContain('windock-standin-ok');
  });

  it('previews a change of nics as a restart', () => {
    const preview = rig.ok(
      'preview',
      config({ network: undefined, nics: [{ mode: 'nat', egress: { policy: 'all' } }] }),
    );
    const [step] = resourceSteps(preview);
    expect(step?.op).toBe('update');
    expect(step?.new?.inputs?.changeImpact).toMatch(/^restart: .*nics changed/);
  });

  it('with egress "all" the guest still cannot reach another container on the isolated network', async () => {
    rig.ok('up', config({ network: undefined, nics: [{ mode: 'nat', egress: { policy: 'all' } }] }));
    const server = await busybox(
      ISOLATED_NETWORK,
      'mkdir -p /w && echo other-vm > /w/index.html && exec httpd -f -p 80 -h /w',
    );
    const serverAddress = (await server.inspect()).NetworkSettings.Networks[ISOLATED_NETWORK]!.IPAddress;
    const gateway = (await docker.getNetwork(ISOLATED_NETWORK).inspect()).IPAM?.Config?.[0]?.Gateway;
    // The guest does have a way out (the host end of the bridge answers), so the drop is the isolation.
    expect((await guest(`ping -c1 -W3 ${gateway} >/dev/null && echo up`)).stdout).toBe('up');
    expect((await guest(httpGetInGuest(serverAddress, 3))).stdout).not.toContain('other-vm');
  });

  it('pulumi destroy leaves no container or volume; the per-host network stays while a container is on it', async () => {
    rig.ok('destroy', config({}));
    await expect(container().inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(docker.getVolume(volumeName).inspect()).rejects.toMatchObject({ statusCode: 404 });
    // The busybox "other VM" still runs on it: the delete of the last windock VM must not take it
    // (tests/network/isolated-network-cleanup.test.ts shows it going once nothing names it).
    await expect(docker.getNetwork(ISOLATED_NETWORK).inspect()).resolves.toBeTruthy();
  });
});
