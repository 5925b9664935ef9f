import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'windock_console';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Percent-decodes, or gives the text as it is when its escapes are malformed. */
function lenientDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function cookieValue(request: IncomingMessage, name: string): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return lenientDecode(part.slice(at + 1).trim());
  }
  return undefined;
}

/**
 * The folder the console lives in: derived from the token (one-way), so that the session
 * cookie, scoped to it, is only sent to this VM's console and never to another service on the
 * same host (browsers do not separate cookies by port). "/" without a token.
 */
export function consoleBasePath(token: string | undefined): string {
  if (token === undefined) return '/';
  return `/${createHash('sha256').update(`windock-console-path\0${token}`).digest('hex').slice(0, 32)}/`;
}

/** The token from ?token=, a Bearer header, or the session cookie. */
export function presentedToken(
  request: IncomingMessage,
  query: URLSearchParams,
): { token?: string; fromQuery: boolean } {
  const fromQuery = query.get('token');
  if (fromQuery) return { token: fromQuery, fromQuery: true };
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer '))
    return { token: header.slice(7), fromQuery: false };
  return { token: cookieValue(request, SESSION_COOKIE), fromQuery: false };
}

export function isAuthorized(
  request: IncomingMessage,
  query: URLSearchParams,
  expected: string | undefined,
): boolean {
  if (expected === undefined) return true;
  const { token } = presentedToken(request, query);
  return token !== undefined && sameSecret(token, expected);
}

/** The Set-Cookie value of a session: HttpOnly, SameSite=Strict, only under the console's folder. */
export function sessionCookie(token: string, basePath: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=${basePath}${secure ? '; Secure' : ''}`;
}
