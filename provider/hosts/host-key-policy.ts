// Which SSH host keys we accept for a host: a pinned SHA-256 fingerprint or a known_hosts file.
// Never trust on first use. The verdict is taken in ssh2's hostVerifier, before authenticating.
import { HostKeyMismatchError } from './errors';
import { keyTypeOf, sameFingerprint, sha256Fingerprint } from './fingerprint';
import type { SshHostConfig } from './host-config';
import { knownHostsName, lookupKnownHosts, parseKnownHosts } from './known-hosts';
import { expandHome, readConfigFile } from './read-material';

/** Host key algorithm families, in the order we prefer them. */
export const HOST_KEY_FAMILIES: Record<string, string[]> = {
  ed25519: ['ssh-ed25519'],
  ecdsa: ['ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521'],
  rsa: ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

export function familyOfKeyType(keyType: string): string | undefined {
  if (keyType === 'ssh-ed25519') return 'ed25519';
  if (keyType.startsWith('ecdsa-sha2-')) return 'ecdsa';
  if (keyType === 'ssh-rsa' || keyType.startsWith('rsa-sha2-')) return 'rsa';
  return undefined;
}

export function algorithmsFor(families: string[]): string[] {
  return families.flatMap((f) => HOST_KEY_FAMILIES[f] ?? []);
}

export interface PresentedKey {
  fingerprint: string;
  keyType: string;
}

export interface HostKeyVerdict {
  ok: boolean;
  presented: PresentedKey;
  /** On refusal: whether trying another key type of the host may still find the expected key. */
  tryOtherTypes: boolean;
  problem?: 'changed' | 'unknown' | 'revoked';
}

/**
 * One policy per host. `prepare()` runs once per connection attempt (re-reads known_hosts, so fixing
 * the file needs no restart); `verify()` judges the key the server presented.
 */
export interface HostKeyPolicy {
  prepare(): { families: string[] };
  verify(keyBlob: Buffer): HostKeyVerdict;
  refusal(presented: PresentedKey[], last: HostKeyVerdict): HostKeyMismatchError;
}

function label(config: SshHostConfig): string {
  return `host "${config.name}" (ssh ${config.user}@${config.host}:${config.port})`;
}

function presentedText(presented: PresentedKey[]): string {
  return presented.map((p) => `${p.fingerprint} (${p.keyType})`).join(', ');
}

class PinnedFingerprintPolicy implements HostKeyPolicy {
  constructor(
    private readonly config: SshHostConfig,
    private readonly pinned: string,
  ) {}

  prepare() {
    return { families: Object.keys(HOST_KEY_FAMILIES) };
  }

  verify(keyBlob: Buffer): HostKeyVerdict {
    const presented = { fingerprint: sha256Fingerprint(keyBlob), keyType: keyTypeOf(keyBlob) };
    const ok = sameFingerprint(presented.fingerprint, this.pinned);
    // A fingerprint does not say which key type it belongs to: the host may have pinned its RSA key
    // while offering ed25519 first, so the caller retries with the other key types before refusing.
    return { ok, presented, tryOtherTypes: !ok, ...(ok ? {} : { problem: 'changed' as const }) };
  }

  refusal(presented: PresentedKey[]): HostKeyMismatchError {
    const c = this.config;
    return new HostKeyMismatchError(
      c.name,
      'changed',
      presented.map((p) => p.fingerprint),
      [this.pinned],
      `${label(c)} presented host key ${presentedText(presented)}, but hostKey.fingerprint pins ${this.pinned}. ` +
        'The connection was refused before authenticating; nothing was sent. ' +
        'If the host was reinstalled or its key rotated, verify the new key out of band ' +
        '(on the host: `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`) and update hostKey.fingerprint ' +
        'in the stack configuration; if nothing changed on the host, someone may be intercepting the connection.',
    );
  }
}

class KnownHostsPolicy implements HostKeyPolicy {
  private expected: string[] = [];
  private expectedLines: string[] = [];

  constructor(
    private readonly config: SshHostConfig,
    private readonly file: string,
  ) {}

  private lookup() {
    const text = readConfigFile(this.config.name, 'hostKey.knownHostsFile', this.file);
    return lookupKnownHosts(parseKnownHosts(text), this.config.host, this.config.port);
  }

  prepare() {
    const { keys } = this.lookup();
    this.expected = keys.map((k) => sha256Fingerprint(k.key));
    this.expectedLines = keys.map((k) => `line ${k.line}: ${sha256Fingerprint(k.key)} (${k.keyType})`);
    const known = new Set(keys.map((k) => familyOfKeyType(k.keyType)).filter((f): f is string => !!f));
    // Like OpenSSH: ask the server for a key type we already know, so we compare like with like.
    const families = Object.keys(HOST_KEY_FAMILIES).filter((f) => known.size === 0 || known.has(f));
    return { families };
  }

  verify(keyBlob: Buffer): HostKeyVerdict {
    const presented = { fingerprint: sha256Fingerprint(keyBlob), keyType: keyTypeOf(keyBlob) };
    const { keys, revoked } = this.lookup();
    if (revoked.some((r) => r.key.equals(keyBlob))) {
      return { ok: false, presented, tryOtherTypes: false, problem: 'revoked' };
    }
    if (keys.some((k) => k.key.equals(keyBlob))) return { ok: true, presented, tryOtherTypes: false };
    return { ok: false, presented, tryOtherTypes: false, problem: keys.length ? 'changed' : 'unknown' };
  }

  refusal(presented: PresentedKey[], last: HostKeyVerdict): HostKeyMismatchError {
    const c = this.config;
    const file = expandHome(this.file);
    const lookupName = knownHostsName(c.host, c.port);
    const problem = last.problem ?? 'unknown';
    const what =
      problem === 'revoked'
        ? `presented host key ${presentedText(presented)}, which ${file} marks @revoked`
        : problem === 'changed'
          ? `presented host key ${presentedText(presented)}, but ${file} lists a different key for "${lookupName}" ` +
            `(${this.expectedLines.join('; ')})`
          : `presented host key ${presentedText(presented)}, and ${file} has no entry for "${lookupName}"`;
    const fix =
      problem === 'unknown'
        ? `Verify the key out of band (on the host: \`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\`), then add it ` +
          `(\`ssh-keyscan -p ${c.port} ${c.host} >> ${file}\` and compare the fingerprint), or pin it with hostKey.fingerprint.`
        : problem === 'changed'
          ? `If the host's key really changed, verify the new key out of band, remove the old entry ` +
            `(\`ssh-keygen -R '${lookupName}' -f ${file}\`) and add the new one; otherwise someone may be intercepting the connection.`
          : 'The key was revoked: do not connect until the host has a new key.';
    return new HostKeyMismatchError(
      c.name,
      problem,
      presented.map((p) => p.fingerprint),
      this.expected,
      `${label(c)} ${what}. The connection was refused before authenticating; nothing was sent. ${fix}`,
    );
  }
}

export function createHostKeyPolicy(config: SshHostConfig): HostKeyPolicy {
  const hk = config.hostKey;
  if ('fingerprint' in hk && hk.fingerprint) return new PinnedFingerprintPolicy(config, hk.fingerprint);
  return new KnownHostsPolicy(config, (hk as { knownHostsFile: string }).knownHostsFile);
}
