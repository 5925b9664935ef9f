import { connect } from 'node:net';
import type { WebSocket } from 'ws';
import { ViewOnlyFilter } from './view-only-filter';

/**
 * One websocket session bridged to QEMU's VNC unix socket. View-only sessions go through the
 * filter in both directions (it must see the server's half of the handshake); a stream it
 * refuses, or any error on either side, closes this session only.
 */
export function bridgeToVnc(
  socket: WebSocket,
  vncSocket: string,
  viewOnly: boolean,
  log: (line: string) => void,
): void {
  const vnc = connect(vncSocket);
  const filter = viewOnly ? new ViewOnlyFilter() : undefined;
  let closed = false;
  const closeBoth = (why?: string) => {
    if (closed) return;
    closed = true;
    if (why) log(`console: closing a session: ${why}`);
    vnc.destroy();
    socket.terminate();
  };
  const toVnc = (data: Buffer) => {
    if (data.length > 0 && !vnc.destroyed) vnc.write(data);
  };
  const guarded = (step: () => void) => {
    try {
      step();
    } catch (error) {
      closeBoth((error as Error).message);
    }
  };
  vnc.on('data', (data: Buffer) =>
    guarded(() => {
      if (filter) toVnc(filter.fromServer(data));
      socket.send(data);
    }),
  );
  vnc.on('error', () => closeBoth());
  vnc.on('close', () => closeBoth());
  socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) =>
    guarded(() => {
      if (!isBinary || !Buffer.isBuffer(data)) throw new Error('not a binary frame');
      toVnc(filter ? filter.fromClient(data) : data);
    }),
  );
  socket.on('close', () => closeBoth());
  socket.on('error', () => closeBoth());
}
