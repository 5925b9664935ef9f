import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'windock_console';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** The token from ?token=, a Bearer header, or the session cookie. */
export function presentedToken(request: IncomingMessage): { token?: string; fromQuery: boolean } {
  const url = new URL(request.url ?? '/', 'http://console');
  const query = url.searchParams.get('token');
  if (query) return { token: query, fromQuery: true };
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return { token: header.slice(7), fromQuery: false };
  return { token: cookieValue(request, SESSION_COOKIE), fromQuery: false };
}

export function isAuthorized(request: IncomingMessage, expected: string | undefined): boolean {
  if (expected === undefined) return true;
  const { token } = presentedToken(request);
  return token !== undefined && sameSecret(token, expected);
}
