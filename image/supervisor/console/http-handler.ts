import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { isAuthorized, presentedToken, sessionCookie } from './auth';
import { requestTarget, staticFile, type RequestTarget } from './request-target';
import { CONTENT_TYPES, isFile, reply, SECURITY_HEADERS, serveFile } from './responses';
import type { ConsoleSite } from './site';

/** noVNC's files: public, as they hold nothing of the VM. */
function serveNovnc(site: ConsoleSite, response: ServerResponse, files: string[]): void {
  const path = join(site.novncRoot, ...files);
  if (isFile(path)) return serveFile(response, path);
  return reply(response, 404, 'not found\n');
}

/** The console page: behind the token, which moves from the URL into a cookie on first use. */
function servePage(
  site: ConsoleSite,
  request: IncomingMessage,
  response: ServerResponse,
  target: RequestTarget,
): void {
  const { options, base } = site;
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
    response.end();
    return;
  }
  response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': CONTENT_TYPES['.html']! });
  response.end(site.page);
}

function route(site: ConsoleSite, request: IncomingMessage, response: ServerResponse, target: RequestTarget) {
  const files = staticFile(target.path, `${site.base}novnc/`);
  if (files) return serveNovnc(site, response, files);
  if (target.path !== '/' && target.path !== site.base) return reply(response, 404, 'not found\n');
  servePage(site, request, response, target);
}

/** The HTTP(S) request handler: GET and HEAD only; an error ends that one request. */
export function requestHandler(site: ConsoleSite) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    try {
      response.on('error', () => response.destroy());
      const target = requestTarget(request.url);
      if (!target || (request.method !== 'GET' && request.method !== 'HEAD'))
        return reply(response, 400, 'bad request\n', { Connection: 'close' });
      route(site, request, response, target);
    } catch (error) {
      site.failed('a request', error);
      response.destroy();
    }
  };
}
