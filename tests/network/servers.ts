// Shared by the network system tests: throwaway Docker networks, Linux bridges and tiny HTTP
// servers (busybox httpd) that a guest or a LAN neighbour talks to. Everything is named with
// the test's prefix and removed by the rig's cleanup, even when a test fails.
import { execFileSync } from 'node:child_process';
import type Dockerode from 'dockerode';
import { type Cleanup, demux, uniqueName, WINDOCK_IMAGE } from '../rig/docker';
import { ensureBusyboxImage } from '../rig/ssh-hosts';

/** What these helpers need of a test: its engine, and a place for clean-up steps (an ImageRig is one). */
export interface TestScope {
  docker: Dockerode;
  onDispose(step: () => Promise<unknown>): void;
}

/** The scope of a test that has a Docker client and a Cleanup (the engine tests). */
export function cleanupScope(docker: Dockerode, cleanup: Cleanup): TestScope {
  return { docker, onDispose: (step) => cleanup.add(step) };
}

export async function testNetwork(
  rig: TestScope,
  options: Omit<Dockerode.NetworkCreateOptions, 'Name'> & { prefix: string },
): Promise<string> {
  const { prefix, ...create } = options;
  const name = uniqueName(prefix);
  await rig.docker.createNetwork({
    Name: name,
    CheckDuplicate: true,
    Labels: { 'io.windock.test': 'network' },
    ...create,
  });
  rig.onDispose(() => rig.docker.getNetwork(name).remove());
  return name;
}

/**
 * Removes what a killed earlier run of a test left behind (containers, Docker networks and host
 * links whose names start with one of its prefixes): such a network's fixed subnet would make
 * this run's network fail with "Pool overlaps". Tests run one at a time, so a match is stale.
 */
export async function sweepStale(docker: Dockerode, prefixes: string[]): Promise<void> {
  const stale = (name: string) => prefixes.some((prefix) => name.replace(/^\//, '').startsWith(prefix));
  for (const info of await docker.listContainers({ all: true })) {
    if (info.Names.some(stale)) await docker.getContainer(info.Id).remove({ force: true, v: true });
  }
  for (const info of await docker.listNetworks()) {
    if (!stale(info.Name)) continue;
    const network = docker.getNetwork(info.Id);
    const attached = ((await network.inspect()) as { Containers?: Record<string, unknown> }).Containers ?? {};
    for (const id of Object.keys(attached)) await network.disconnect({ Container: id, Force: true });
    await network.remove();
  }
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  for (const match of links.matchAll(/^\d+: ([^:@]+)[:@]/gm)) {
    if (stale(match[1]!)) execFileSync('ip', ['link', 'del', match[1]!]);
  }
}

/** A Linux bridge on the host, as a LAN to hang a macvlan network on. */
export function hostBridge(rig: TestScope, name: string): string {
  execFileSync('ip', ['link', 'add', name, 'type', 'bridge']);
  rig.onDispose(async () => execFileSync('ip', ['link', 'del', name]));
  execFileSync('ip', ['link', 'set', name, 'up']);
  return name;
}

/** A macvlan or ipvlan Docker network on a host bridge (a LAN of our own); returns its name. */
export function lanNetworkOn(
  scope: TestScope,
  bridge: string,
  options: { prefix: string; driver: 'macvlan' | 'ipvlan'; subnet: string; ipRange?: string },
): Promise<string> {
  return testNetwork(scope, {
    prefix: options.prefix,
    Driver: options.driver,
    Options: { parent: bridge },
    IPAM: { Config: [{ Subnet: options.subnet, ...(options.ipRange ? { IPRange: options.ipRange } : {}) }] },
  });
}

/**
 * A DHCP server on a LAN (dnsmasq from the windock image, no DNS), leasing from `dhcpRange`
 * ("first,last,mask,lease"); with `raPrefix` also router advertisements for that /64.
 */
export async function lanDhcpServer(
  scope: TestScope,
  network: string,
  options: { prefix: string; dhcpRange: string; raPrefix?: string; address?: string },
): Promise<Dockerode.Container> {
  const dhcp = await scope.docker.createContainer({
    name: uniqueName(options.prefix),
    Image: WINDOCK_IMAGE,
    Entrypoint: ['dnsmasq'],
    Cmd: [
      '--keep-in-foreground',
      '--user=root',
      '--group=',
      '--conf-file=/dev/null',
      '--port=0',
      '--log-facility=-',
      '--dhcp-leasefile=/tmp/leases',
      '--dhcp-authoritative',
      `--dhcp-range=${options.dhcpRange}`,
      ...(options.raPrefix ? ['--enable-ra', `--dhcp-range=${options.raPrefix},ra-only,64`] : []),
    ],
    Labels: { 'io.windock.test': 'network' },
    HostConfig: {
      NetworkMode: network,
      CapDrop: ['ALL'],
      CapAdd: ['NET_ADMIN', 'NET_RAW', 'NET_BIND_SERVICE'],
      ...(options.raPrefix ? { Sysctls: { 'net.ipv6.conf.all.disable_ipv6': '0' } } : {}),
    },
    ...(options.address
      ? {
          NetworkingConfig: {
            EndpointsConfig: { [network]: { IPAMConfig: { IPv4Address: options.address } } },
          },
        }
      : {}),
  });
  scope.onDispose(() => dhcp.remove({ force: true }));
  await dhcp.start();
  return dhcp;
}

/** A busybox httpd answering `body` on port 80; returns its address on `network`. */
export async function httpServer(
  rig: TestScope,
  network: string,
  body: string,
  endpoint: Dockerode.EndpointSettings = {},
): Promise<{ container: Dockerode.Container; address: string }> {
  const name = uniqueName('wdk-net-srv');
  const container = await rig.docker.createContainer({
    name,
    Image: ensureBusyboxImage(), // built on first use: a fresh engine has none
    Entrypoint: ['sh', '-c', `mkdir -p /w && echo ${body} > /w/index.html && exec httpd -f -p 80 -h /w`],
    Labels: { 'io.windock.test': 'network' },
    HostConfig: { NetworkMode: network, CapDrop: ['ALL'], CapAdd: ['NET_BIND_SERVICE'] },
    NetworkingConfig: { EndpointsConfig: { [network]: endpoint } },
  });
  rig.onDispose(() => container.remove({ force: true }));
  await container.start();
  const info = await container.inspect();
  return { container, address: info.NetworkSettings.Networks[network]!.IPAddress };
}

/** Runs a command in a throwaway busybox container on `network`; returns its output and exit code. */
export async function runOn(
  rig: TestScope,
  network: string,
  command: string,
): Promise<{ output: string; exitCode: number }> {
  const container = await rig.docker.createContainer({
    Image: ensureBusyboxImage(), // built on first use: a fresh engine has none
    Entrypoint: ['sh', '-c', command],
    Labels: { 'io.windock.test': 'network' },
    HostConfig: { NetworkMode: network, CapDrop: ['ALL'] },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = (await container.logs({ stdout: true, stderr: true })) as unknown as Buffer;
    return { output: demux(logs), exitCode: StatusCode };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/**
 * A guest shell command fetching http://address/ with busybox nc (the stand-in's busybox wget
 * crashes under TCG); prints the response body's last line.
 */
export function httpGetInGuest(address: string, timeoutSeconds: number): string {
  return `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w ${timeoutSeconds} ${address} 80 | tail -n 1`;
}

/** The same from a busybox container (whose wget crashes on this kernel too). */
export function httpGetFrom(address: string, timeoutSeconds = 10): string {
  return `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w ${timeoutSeconds} ${address} 80`;
}

/** From a busybox container: the body's last line of http://address/, retried for about a minute. */
export function httpGetUntilAnswered(address: string): string {
  return `for i in $(seq 30); do r=$(${httpGetFrom(address, 3)} | tail -n 1); [ -n "$r" ] && echo "$r" && exit 0; sleep 2; done; exit 1`;
}
