/** A request's path and query, read without anything that throws. */
export interface RequestTarget {
  /** The path as sent (not percent-decoded: routes compare it literally). */
  path: string;
  query: URLSearchParams;
}

/**
 * Parses a request line's target. Only origin-form ("/path?query") is served; anything else
 * ("//", absolute URLs, "*", no target) is undefined. Never throws: URLSearchParams keeps
 * malformed escapes as they are. Pure.
 */
export function requestTarget(raw: string | undefined): RequestTarget | undefined {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//')) return undefined;
  const at = raw.indexOf('?');
  const path = at < 0 ? raw : raw.slice(0, at);
  return { path, query: new URLSearchParams(at < 0 ? '' : raw.slice(at + 1)) };
}

/** A static file's path below a prefix: plain names only, no "..", no escapes. Pure. */
export function staticFile(path: string, prefix: string): string[] | undefined {
  if (!path.startsWith(prefix)) return undefined;
  const parts = path.slice(prefix.length).split('/');
  if (parts.some((part) => !/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(part))) return undefined;
  return parts;
}
