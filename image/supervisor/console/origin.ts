import type { IncomingMessage } from 'node:http';

/**
 * Whether a websocket upgrade may come from this request's page. Browsers always send Origin
 * on a websocket; a page on another port or site has another origin than the console's own
 * (scheme + the Host header the browser used). Clients that are not browsers send no Origin
 * and still need the token. Pure.
 */
export function allowedOrigin(request: IncomingMessage, scheme: 'http' | 'https'): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const host = request.headers.host;
  if (typeof origin !== 'string' || typeof host !== 'string' || host === '') return false;
  return origin.toLowerCase() === `${scheme}://${host.toLowerCase()}`;
}
