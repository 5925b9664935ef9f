// A known_hosts reader: plain and hashed ("|1|salt|hash") host fields, "[host]:port" for non-22 ports,
// "*"/"?" wildcards and "!" negation, and the @revoked marker (@cert-authority lines are skipped:
// host certificates are not supported).
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface KnownHostEntry {
  marker: 'revoked' | 'cert-authority' | undefined;
  hosts: string;
  keyType: string;
  key: Buffer;
  line: number;
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift();
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return;
    }
    const [hosts, keyType, b64] = fields;
    if (!hosts || !keyType || !b64) return;
    const key = Buffer.from(b64, 'base64');
    if (key.length === 0) return;
    out.push({ marker, hosts, keyType, key, line: i + 1 });
  });
  return out;
}

/** The name OpenSSH looks up: "host" on port 22, "[host]:port" otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function wildcardMatch(pattern: string, text: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .split('')
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
        .join('') +
      '$',
    'i',
  );
  return re.test(text);
}

function hashedMatch(field: string, name: string): boolean {
  // |1|base64(salt)|base64(HMAC-SHA1(salt, name))
  const parts = field.split('|');
  if (parts.length !== 4 || parts[1] !== '1') return false;
  const salt = Buffer.from(parts[2] ?? '', 'base64');
  const want = Buffer.from(parts[3] ?? '', 'base64');
  const got = createHmac('sha1', salt).update(name).digest();
  return want.length === got.length && timingSafeEqual(want, got);
}

/** Whether an entry's host field applies to host:port. */
export function entryMatches(hostsField: string, host: string, port: number): boolean {
  const name = knownHostsName(host, port);
  if (hostsField.startsWith('|')) return hashedMatch(hostsField, name);
  let positive = false;
  for (const pattern of hostsField.split(',')) {
    if (!pattern) continue;
    const negated = pattern.startsWith('!');
    const p = negated ? pattern.slice(1) : pattern;
    if (wildcardMatch(p, name)) {
      if (negated) return false;
      positive = true;
    }
  }
  return positive;
}

export interface KnownHostsLookup {
  /** Keys listed for this host (not revoked, not CA). */
  keys: KnownHostEntry[];
  /** Keys marked @revoked that apply to this host. */
  revoked: KnownHostEntry[];
}

export function lookupKnownHosts(entries: KnownHostEntry[], host: string, port: number): KnownHostsLookup {
  const keys: KnownHostEntry[] = [];
  const revoked: KnownHostEntry[] = [];
  for (const e of entries) {
    if (e.marker === 'cert-authority') continue;
    if (e.marker === 'revoked') {
      // @revoked applies to any host whose field matches (or "*").
      if (entryMatches(e.hosts, host, port)) revoked.push(e);
      continue;
    }
    if (entryMatches(e.hosts, host, port)) keys.push(e);
  }
  return { keys, revoked };
}

/** A hashed host field for name (what `ssh-keygen -H` writes), for tests and tooling. */
export function hashKnownHostsName(name: string, salt: Buffer): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}
