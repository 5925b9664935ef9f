import { createReadStream, readFileSync, statSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { extname, join } from 'node:path';
import { WebSocketServer } from 'ws';
import { consoleBasePath, isAuthorized, presentedToken, sessionCookie } from './auth';
import { bridgeToVnc } from './bridge';
import { allowedOrigin } from './origin';
import { requestTarget, staticFile, type RequestTarget } from './request-target';

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

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

const SECURITY_HEADERS = {
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

/** Bounds that keep a slow or greedy client from holding the server. */
const LIMITS = { headersMs: 10_000, requestMs: 30_000, connections: 256, wsPayload: 8 * 1024 * 1024 };

/** Logs the first errors of a kind, then only every thousandth: a flood does not fill the log. */
function errorLogger(log: (line: string) => void): (what: string, error: unknown) => void {
  let count = 0;
  return (what, error) => {
    count++;
    if (count <= 10 || count % 1000 === 0)
      log(`console: ${what} failed (${count} so far): ${(error as Error)?.message ?? String(error)}`);
  };
}

function reply(response: ServerResponse, status: number, text: string, headers = {}): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain', ...headers });
  response.end(text);
}

function serveFile(response: ServerResponse, path: string): void {
  const stream = createReadStream(path);
  stream.on('error', () => response.destroy());
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
  });
  stream.pipe(response);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The browser console: noVNC served over HTTP(S) with a websocket bridge to QEMU's VNC unix
 * socket, all under a folder derived from the token (consoleBasePath). Every page and
 * websocket needs the token; it moves from the URL into an HttpOnly cookie scoped to that
 * folder on first use. Every handler is contained: an error ends that one connection.
 */
export function startConsoleServer(options: ConsoleServerOptions): Server[] {
  const page = readFileSync(join(options.assetsDir, 'console.html'), 'utf8').replace(
    '__VIEW_ONLY__',
    options.viewOnly ? 'true' : 'false',
  );
  const base = consoleBasePath(options.token);
  const scheme = options.tls ? 'https' : 'http';
  const failed = errorLogger(options.log);
  const novncRoot = join(options.assetsDir, 'novnc');

  const route = (request: IncomingMessage, response: ServerResponse, target: RequestTarget) => {
    const files = staticFile(target.path, `${base}novnc/`);
    if (files) {
      const path = join(novncRoot, ...files);
      if (isFile(path)) return serveFile(response, path);
      return reply(response, 404, 'not found\n');
    }
    if (target.path !== '/' && target.path !== base) return reply(response, 404, 'not found\n');
    if (!isAuthorized(request, target.query, options.token))
      return reply(
        response,
        401,
        'windock console: a token is required (open the console URL from the stack outputs)\n',
      );
    const { token, fromQuery } = presentedToken(request, target.query);
    if (options.token !== undefined && ((fromQuery && token) || target.path !== base)) {
      const cookie = token && fromQuery ? { 'Set-Cookie': sessionCookie(token, base, !!options.tls) } : {};
      response.writeHead(303, { ...SECURITY_HEADERS, ...cookie, Location: base });
      return response.end();
    }
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': CONTENT_TYPES['.html']! });
    response.end(page);
  };

  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    try {
      response.on('error', () => response.destroy());
      const target = requestTarget(request.url);
      if (!target || (request.method !== 'GET' && request.method !== 'HEAD'))
        return reply(response, 400, 'bad request\n', { Connection: 'close' });
      route(request, response, target);
    } catch (error) {
      failed('a request', error);
      response.destroy();
    }
  };

  const sockets = new WebSocketServer({ noServer: true, maxPayload: LIMITS.wsPayload });
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      socket.on('error', () => socket.destroy());
      const target = requestTarget(request.url);
      const refuse = (status: string) => socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
      if (!target || !isAuthorized(request, target.query, options.token)) return refuse('401 Unauthorized');
      if (target.path !== `${base}websockify`) return refuse('404 Not Found');
      // A page on another port or site (a guest's web server behind a forwarded port) is refused.
      if (!allowedOrigin(request, scheme)) return refuse('403 Forbidden');
      sockets.handleUpgrade(request, socket, head, (ws) => {
        try {
          bridgeToVnc(ws, options.vncSocket, options.viewOnly, options.log);
        } catch (error) {
          failed('a console session', error);
          ws.terminate();
        }
      });
    } catch (error) {
      failed('a websocket upgrade', error);
      socket.destroy();
    }
  };

  return options.listen.map((address) => {
    const server = options.tls
      ? createHttpsServer({ ...options.tls, ...serverLimits() }, onRequest)
      : createHttpServer(serverLimits(), onRequest);
    server.headersTimeout = LIMITS.headersMs;
    server.requestTimeout = LIMITS.requestMs;
    server.maxConnections = LIMITS.connections;
    server.on('connection', (socket) => {
      if (options.refuse(socket.remoteAddress ?? '')) socket.destroy();
    });
    server.on('upgrade', onUpgrade);
    server.on('clientError', (_error, socket: Duplex) => socket.destroy());
    server.on('tlsClientError', (_error, socket: Duplex) => socket.destroy());
    server.on('error', (error) => failed(`listening on ${address}:${options.port}`, error));
    server.listen(options.port, address);
    return server;
  });
}

function serverLimits() {
  return { connectionsCheckingInterval: 1000, maxHeaderSize: 16 * 1024, keepAliveTimeout: 5000 };
}
