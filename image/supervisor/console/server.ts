import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { isAuthorized, presentedToken, SESSION_COOKIE } from './auth';
import { ViewOnlyFilter } from './view-only-filter';

export interface ConsoleServerOptions {
  port: number;
  /** Unix socket of QEMU's VNC server. */
  vncSocket: string;
  /** undefined: no authentication (only when the spec asks for it explicitly). */
  token: string | undefined;
  viewOnly: boolean;
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
};

function serveFile(response: ServerResponse, path: string): void {
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
  });
  createReadStream(path).pipe(response);
}

function bridge(socket: WebSocket, options: ConsoleServerOptions): void {
  const vnc = connect(options.vncSocket);
  const filter = options.viewOnly ? new ViewOnlyFilter() : undefined;
  const closeBoth = () => {
    vnc.destroy();
    socket.close();
  };
  vnc.on('data', (data) => socket.send(data));
  vnc.on('error', closeBoth);
  vnc.on('close', () => socket.close());
  socket.on('message', (data: Buffer) => {
    try {
      const allowed = filter ? filter.push(data) : data;
      if (allowed.length > 0) vnc.write(allowed);
    } catch (error) {
      options.log(`console: closing a view-only session: ${(error as Error).message}`);
      closeBoth();
    }
  });
  socket.on('close', () => vnc.destroy());
  socket.on('error', closeBoth);
}

/**
 * The browser console: noVNC served over HTTP with a websocket bridge to QEMU's VNC unix
 * socket. Every page and websocket needs the token; the token moves from the URL into an
 * HttpOnly cookie on first use so it does not linger in the address bar or history.
 */
export function startConsoleServer(options: ConsoleServerOptions): Server {
  const page = readFileSync(join(options.assetsDir, 'console.html'), 'utf8').replace(
    '__VIEW_ONLY__',
    options.viewOnly ? 'true' : 'false',
  );
  const novncRoot = join(options.assetsDir, 'novnc');

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://console');
    if (url.pathname.startsWith('/novnc/')) {
      const path = normalize(join(novncRoot, url.pathname.slice('/novnc/'.length)));
      if (path.startsWith(novncRoot + '/') && existsSync(path) && statSync(path).isFile())
        return serveFile(response, path);
      response.writeHead(404, SECURITY_HEADERS).end('not found\n');
      return;
    }
    if (url.pathname !== '/') {
      response.writeHead(404, SECURITY_HEADERS).end('not found\n');
      return;
    }
    if (!isAuthorized(request, options.token)) {
      response.writeHead(401, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' });
      response.end('windock console: a token is required (open the console URL from the stack outputs)\n');
      return;
    }
    const { token, fromQuery } = presentedToken(request);
    if (fromQuery && token) {
      response.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${SESSION_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        Location: '/',
      });
      response.end();
      return;
    }
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': CONTENT_TYPES['.html']! });
    response.end(page);
  });

  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://console');
    if (url.pathname !== '/websockify' || !isAuthorized(request, options.token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => bridge(ws, options));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  server.listen(options.port, '0.0.0.0');
  return server;
}
