// Shared by the network system tests: throwaway Docker networks, Linux bridges and tiny HTTP
// servers (busybox httpd) that a guest or a LAN neighbour talks to. Everything is named with
// the test's prefix and removed by the rig's cleanup, even when a test fails.
import { execFileSync } from 'node:child_process';
import type Dockerode from 'dockerode';
import type { ImageRig } from '../image/harness';
import { uniqueName } from '../rig/docker';

export const BUSYBOX_IMAGE = 'windock-test-busybox:1';

export async function testNetwork(
  rig: ImageRig,
  options: Omit<Dockerode.NetworkCreateOptions, 'Name'> & { prefix: string },
): Promise<string> {
  const { prefix, ...create } = options;
  const name = uniqueName(prefix);
  await rig.docker.createNetwork({ Name: name, CheckDuplicate: true, ...create });
  rig.onDispose(() => rig.docker.getNetwork(name).remove());
  return name;
}

/** A Linux bridge on the host, as a LAN to hang a macvlan network on. */
export function hostBridge(rig: ImageRig, name: string): string {
  execFileSync('ip', ['link', 'add', name, 'type', 'bridge']);
  rig.onDispose(async () => execFileSync('ip', ['link', 'del', name]));
  execFileSync('ip', ['link', 'set', name, 'up']);
  return name;
}

/** A busybox httpd answering `body` on port 80; returns its address on `network`. */
export async function httpServer(
  rig: ImageRig,
  network: string,
  body: string,
  endpoint: Dockerode.EndpointSettings = {},
): Promise<{ container: Dockerode.Container; address: string }> {
  const name = uniqueName('wdk-net-srv');
  const container = await rig.docker.createContainer({
    name,
    Image: BUSYBOX_IMAGE,
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
  rig: ImageRig,
  network: string,
  command: string,
): Promise<{ output: string; exitCode: number }> {
  const container = await rig.docker.createContainer({
    Image: BUSYBOX_IMAGE,
    Entrypoint: ['sh', '-c', command],
    Labels: { 'io.windock.test': 'network' },
    HostConfig: { NetworkMode: network, CapDrop: ['ALL'] },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = (await container.logs({ stdout: true, stderr: true })) as unknown as Buffer;
    const { demux } = await import('../rig/docker');
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
