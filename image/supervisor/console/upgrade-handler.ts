import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { isAuthorized } from './auth';
import { bridgeToVnc } from './bridge';
import { allowedOrigin } from './origin';
import { requestTarget } from './request-target';
import type { ConsoleSite } from './site';

/** Bounds a websocket message: a greedy client cannot make the server buffer more. */
const WS_MAX_PAYLOAD = 8 * 1024 * 1024;

function bridge(site: ConsoleSite, ws: WebSocket): void {
  try {
    bridgeToVnc(ws, site.options.vncSocket, site.options.viewOnly, site.options.log);
  } catch (error) {
    site.failed('a console session', error);
    ws.terminate();
  }
}

/** The websocket upgrade: token, path and origin checked, then bridged to QEMU's VNC socket. */
export function upgradeHandler(site: ConsoleSite) {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD });
  return (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    try {
      socket.on('error', () => socket.destroy());
      const target = requestTarget(request.url);
      const refuse = (status: string) => void socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
      if (!target || !isAuthorized(request, target.query, site.options.token))
        return refuse('401 Unauthorized');
      if (target.path !== `${site.base}websockify`) return refuse('404 Not Found');
      // A page on another port or site (a guest's web server behind a forwarded port) is refused.
      if (!allowedOrigin(request, site.scheme)) return refuse('403 Forbidden');
      sockets.handleUpgrade(request, socket, head, (ws) => bridge(site, ws));
    } catch (error) {
      site.failed('a websocket upgrade', error);
      socket.destroy();
    }
  };
}
