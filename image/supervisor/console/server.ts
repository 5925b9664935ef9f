import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { requestHandler } from './http-handler';
import { consoleSite, type ConsoleSite } from './site';
import { upgradeHandler } from './upgrade-handler';

export interface ConsoleServerOptions {
  port: number;
  /** The addresses to listen on (the container's primary network: consoleListenAddresses). */
  listen: string[];
  /** Refuses a connection by its remote address (the guest's: guestSourceCheck). */
  refuse: (remote: string) => boolean;
  /** Unix socket of QEMU's VNC server. */
  vncSocket: string;
  /** undefined: no authentication (only when the spec asks for it explicitly). */
  token: string | undefined;
  viewOnly: boolean;
  /** PEM certificate and key: HTTPS and WSS; none: plain HTTP. */
  tls?: { cert: string; key: string };
  /** Folder with console.html and novnc/ (core/, vendor/). */
  assetsDir: string;
  log: (line: string) => void;
}

/** Bounds that keep a slow or greedy client from holding the server. */
const LIMITS = { headersMs: 10_000, requestMs: 30_000, connections: 256 };

type Handlers = {
  onRequest: (request: IncomingMessage, response: ServerResponse) => void;
  onUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
};

function serverLimits() {
  return { connectionsCheckingInterval: 1000, maxHeaderSize: 16 * 1024, keepAliveTimeout: 5000 };
}

/** One server on one address, bounded, refusing the guest's connections. */
function listenOn(address: string, site: ConsoleSite, handlers: Handlers): Server {
  const { options, failed } = site;
  const server = options.tls
    ? createHttpsServer({ ...options.tls, ...serverLimits() }, handlers.onRequest)
    : createHttpServer(serverLimits(), handlers.onRequest);
  server.headersTimeout = LIMITS.headersMs;
  server.requestTimeout = LIMITS.requestMs;
  server.maxConnections = LIMITS.connections;
  server.on('connection', (socket) => {
    if (options.refuse(socket.remoteAddress ?? '')) socket.destroy();
  });
  server.on('upgrade', handlers.onUpgrade);
  server.on('clientError', (_error, socket: Duplex) => socket.destroy());
  server.on('tlsClientError', (_error, socket: Duplex) => socket.destroy());
  server.on('error', (error) => failed(`listening on ${address}:${options.port}`, error));
  server.listen(options.port, address);
  return server;
}

/**
 * The browser console: noVNC served over HTTP(S) with a websocket bridge to QEMU's VNC unix
 * socket, all under a folder derived from the token (consoleBasePath). Every page and
 * websocket needs the token; it moves from the URL into an HttpOnly cookie scoped to that
 * folder on first use. Every handler is contained: an error ends that one connection.
 */
export function startConsoleServer(options: ConsoleServerOptions): Server[] {
  const site = consoleSite(options);
  const handlers = { onRequest: requestHandler(site), onUpgrade: upgradeHandler(site) };
  return options.listen.map((address) => listenOn(address, site, handlers));
}
