// A local TCP listener whose every connection is piped through a stream opened on demand (an SSH
// direct-tcpip channel of the host's one pinned connection). It listens on 127.0.0.1 only: what it
// reaches is as private as the remote port it forwards to (a console token still guards the console).
import * as net from 'node:net';
import type { Duplex } from 'node:stream';

export const TUNNEL_BIND = '127.0.0.1';

export interface Tunnel {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

/** Pipes two streams both ways; either side ending or failing ends the other. */
function splice(socket: net.Socket, remote: Duplex): void {
  const end = () => {
    socket.destroy();
    remote.destroy();
  };
  socket.on('error', end).on('close', end);
  remote.on('error', end).on('close', end);
  socket.pipe(remote);
  remote.pipe(socket);
}

/**
 * Listens on 127.0.0.1:`localPort` (0: an ephemeral port). `open` is called per connection;
 * its failure closes that connection and is reported to `onError`.
 */
export async function openTunnel(
  open: () => Promise<Duplex>,
  localPort: number,
  onError: (error: Error) => void = () => undefined,
): Promise<Tunnel> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer({ pauseOnConnect: true }, (socket) => {
    accepted++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    open().then(
      (remote) => {
        if (socket.destroyed) return void remote.destroy();
        splice(socket, remote);
        socket.resume();
      },
      (error: Error) => {
        socket.destroy();
        onError(error);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: TUNNEL_BIND, port: localPort, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    get accepted() {
      return accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
