import type { HostConfig } from '../../hosts';
import type { WindowsVmInputs } from './inputs';
import { CONSOLE_CONTAINER_PORT, FORWARD_BASE_PORT, portKey, RDP_PORT } from './to-spec';

/** The host part of an address Docker published on `bind`, as seen from the Pulumi machine. */
export function urlHost(bind: string, host: HostConfig): string {
  if (bind !== '0.0.0.0') return bind.includes(':') ? `[${bind}]` : bind;
  if (host.kind === 'ssh' || host.kind === 'tcp-tls') return host.host;
  return '127.0.0.1';
}

/**
 * "host:port" by name: `console`, `rdp` (TCP) and each `ports` entry's name. `publishedPorts` is
 * keyed by the container's side of each forward (`ports[i]` is container port 20000 + i,
 * to-spec.ts), which says nothing to a user who named the port. Ports Docker has not bound
 * (a stopped VM) are left out. Pure.
 */
export function portAddresses(
  vm: Pick<WindowsVmInputs, 'console' | 'rdp' | 'ports'>,
  published: Record<string, number>,
  host: HostConfig,
): Record<string, string> {
  const addresses: Record<string, string> = {};
  const add = (name: string, bind: string, key: string) => {
    const port = published[key];
    if (port) addresses[name] = `${urlHost(bind, host)}:${port}`;
  };
  if (vm.console.enabled) add('console', vm.console.bind, portKey(CONSOLE_CONTAINER_PORT, 'tcp'));
  if (vm.rdp.enabled) add('rdp', vm.rdp.bind, portKey(RDP_PORT, 'tcp'));
  vm.ports.forEach((port, i) => add(port.name, port.bind, portKey(FORWARD_BASE_PORT + i, port.protocol)));
  return addresses;
}
