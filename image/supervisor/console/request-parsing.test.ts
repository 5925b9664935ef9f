import type { IncomingMessage } from 'node:http';
import { consoleBasePath, isAuthorized, presentedToken, sessionCookie } from './auth';
import { allowedOrigin } from './origin';
import { requestTarget, staticFile } from './request-target';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('request target', () => {
  it('reads origin-form targets and refuses the rest, without throwing', () => {
    expect(requestTarget('/')?.path).toBe('/');
    expect(requestTarget('/a/b?token=x')?.query.get('token')).toBe('x');
    for (const bad of ['//', '//evil/', '*', 'http://x/', '', undefined])
      expect(requestTarget(bad)).toBeUndefined();
    expect(requestTarget('/?token=%E0%A4%A')?.query.get('token')).toEqual(expect.any(String));
    expect(requestTarget('/%')?.path).toBe('/%');
  });

  it('serves static files by plain names only', () => {
    expect(staticFile('/f/novnc/core/rfb.js', '/f/novnc/')).toEqual(['core', 'rfb.js']);
    for (const bad of [
      '/f/novnc/../x',
      '/f/novnc/core/..',
      '/f/novnc/%2e%2e/x',
      '/f/novnc/a//b',
      '/f/novnc/.x',
    ])
      expect(staticFile(bad, '/f/novnc/')).toBeUndefined();
  });
});

describe('auth', () => {
  const token = 'tok-en_1';
  const query = new URLSearchParams();

  it('survives malformed cookies and headers', () => {
    for (const cookie of ['windock_console=%', 'windock_console=%E0%A4%A', '=;=', 'windock_console'])
      expect(isAuthorized(request({ cookie }), query, token)).toBe(false);
    expect(isAuthorized(request({ cookie: `a=b; windock_console=${token}` }), query, token)).toBe(true);
    expect(presentedToken(request({ authorization: 'Bearer %' }), query).token).toBe('%');
  });

  it('scopes the session cookie to a folder derived from the token', () => {
    const base = consoleBasePath(token);
    expect(base).toMatch(/^\/[0-9a-f]{32}\/$/);
    expect(base).not.toContain(token);
    expect(consoleBasePath('other')).not.toBe(base);
    expect(consoleBasePath(undefined)).toBe('/');
    expect(sessionCookie(token, base, true)).toBe(
      `windock_console=${token}; HttpOnly; SameSite=Strict; Path=${base}; Secure`,
    );
  });
});

describe('websocket Origin', () => {
  it("accepts no Origin (not a browser) or the console's own, refuses any other", () => {
    expect(allowedOrigin(request({ host: '127.0.0.1:8006' }), 'http')).toBe(true);
    expect(allowedOrigin(request({ host: '127.0.0.1:8006', origin: 'http://127.0.0.1:8006' }), 'http')).toBe(
      true,
    );
    for (const origin of ['http://127.0.0.1:8007', 'https://127.0.0.1:8006', 'null', 'http://localhost:8006'])
      expect(allowedOrigin(request({ host: '127.0.0.1:8006', origin }), 'http')).toBe(false);
    expect(allowedOrigin(request({ origin: 'http://127.0.0.1:8006' }), 'http')).toBe(false);
  });
});
