// The address containers on Docker's default bridge reach the host at. A freshly started
// dockerd (Debian's docker.io 20.10) may list no Gateway in the bridge's IPAM: then the bridge
// interface's own IPv4 address is it (the tests' engine is local, so its interfaces are ours).
// Read with `ip`: Node lists no address of an interface that is down, as docker0 is while no
// container is attached to it.
import { execFileSync } from 'node:child_process';
import type Dockerode from 'dockerode';

function interfaceAddress(name: string): string | undefined {
  const out = execFileSync('ip', ['-4', '-o', 'addr', 'show', 'dev', name], { encoding: 'utf8' });
  return /\binet (\d+\.\d+\.\d+\.\d+)\//.exec(out)?.[1];
}

export async function defaultBridgeGateway(docker: Dockerode): Promise<string> {
  const bridge = await docker.getNetwork('bridge').inspect();
  const listed = (bridge.IPAM?.Config as Array<{ Gateway?: string }> | undefined)?.find((c) => c.Gateway);
  if (listed?.Gateway) return listed.Gateway;
  const name =
    (bridge.Options as Record<string, string> | undefined)?.['com.docker.network.bridge.name'] ?? 'docker0';
  const address = interfaceAddress(name);
  if (!address)
    throw new Error(`the default bridge (${name}) has no gateway in its IPAM and no IPv4 address`);
  return address;
}
