// SSH host key fingerprints as OpenSSH prints them (`ssh-keygen -lf`): "SHA256:" + base64 of the
// SHA-256 of the public key blob, without "=" padding.
import { createHash } from 'node:crypto';

export function sha256Fingerprint(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

/** The key type named inside an SSH public key blob (first string field), e.g. "ssh-ed25519". */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  if (len <= 0 || len > 64 || keyBlob.length < 4 + len) return 'unknown';
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

/** Fingerprint of an OpenSSH public key line ("ssh-ed25519 AAAA... comment"). */
export function fingerprintOfPublicKeyLine(line: string): string {
  const parts = line.trim().split(/\s+/);
  const b64 = parts.find((p) => p.startsWith('AAAA'));
  if (!b64) throw new Error('not an OpenSSH public key line');
  return sha256Fingerprint(Buffer.from(b64, 'base64'));
}

export function sameFingerprint(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/=+$/, '');
  return norm(a) === norm(b);
}
