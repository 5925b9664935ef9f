// Makes an address on a VM's host reachable from this machine: as it is on the local host, through
// a local tunnel over the host's one pinned SSH connection on an SSH host.
import { sharedHostPool, type HostConfig, type SshStrategy } from '../hosts';
import { openTunnel, TUNNEL_BIND, type Tunnel } from './tunnel';
import type { HostAddress } from './vm-endpoints';

export interface Reached {
  /** host:port to use from this machine. */
  host: string;
  port: number;
  /** The tunnel carrying it; none when the address is reachable as it is. */
  tunnel?: Tunnel;
}

const isLoopback = (host: string) => host === '::1' || host.startsWith('127.');

/** "host:port", IPv6 in brackets. */
export function hostPort(a: { host: string; port: number }): string {
  return `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}

export async function reach(
  host: HostConfig,
  address: HostAddress,
  localPort: number,
  onError: (error: Error) => void,
): Promise<Reached> {
  if (host.kind === 'local') return { host: address.host, port: address.port };
  if (host.kind === 'tcp-tls') {
    if (address.wildcard) return { host: host.host, port: address.port };
    if (isLoopback(address.host)) {
      throw new Error(
        `host "${host.name}" is reached over TCP+TLS, which carries no tunnel, and the port is bound to its loopback (${hostPort(address)}): ` +
          'reach the host over SSH (kind "ssh" in windock:hosts), or bind the port to an address this machine reaches',
      );
    }
    return { host: address.host, port: address.port };
  }
  const connection = (sharedHostPool().strategyFor(host) as SshStrategy).connection;
  // One channel first: a host whose sshd refuses forwarding fails here, before an address is printed.
  (await connection.forward(address.host, address.port)).destroy();
  const tunnel = await openTunnel(
    () => connection.forward(address.host, address.port),
    localPort,
    onError,
  ).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE'
      ? new Error(
          `${TUNNEL_BIND}:${localPort} is in use: pick another --port, or leave it out for a free one`,
        )
      : error;
  });
  return { host: TUNNEL_BIND, port: tunnel.port, tunnel };
}

/** Resolves on SIGINT or SIGTERM (the tunnel then closes cleanly). */
export function untilInterrupted(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
