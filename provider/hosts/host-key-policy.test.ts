import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HostKeyMismatchError } from './errors';
import { sha256Fingerprint } from './fingerprint';
import { parseHostConfig } from './host-config';
import type { SshHostConfig } from './host-config';
import { createHostKeyPolicy } from './host-key-policy';

// Two ed25519 public key blobs (type string + 32 bytes).
const blob = (fill: number) => {
  const type = Buffer.from('ssh-ed25519');
  const b = Buffer.alloc(4 + type.length + 4 + 32);
  b.writeUInt32BE(type.length, 0);
  type.copy(b, 4);
  b.writeUInt32BE(32, 4 + type.length);
  b.fill(fill, 8 + type.length);
  return b;
};
const A = blob(1);
const B = blob(2);

const config = (hostKey: unknown) =>
  parseHostConfig({
    name: 'h1',
    kind: 'ssh',
    host: '127.0.0.2',
    port: 2212,
    user: 'u',
    hostKey,
    auth: { agent: true },
  }) as SshHostConfig;

test('pinned fingerprint: accepts the pinned key, refuses others with both fingerprints and the fix', () => {
  const p = createHostKeyPolicy(config({ fingerprint: sha256Fingerprint(A) }));
  expect(p.verify(A).ok).toBe(true);
  const v = p.verify(B);
  expect(v.ok).toBe(false);
  expect(v.tryOtherTypes).toBe(true); // the pin may be of another key type of the same host
  const err = p.refusal([v.presented], v);
  expect(err).toBeInstanceOf(HostKeyMismatchError);
  expect(err.message).toContain(sha256Fingerprint(A));
  expect(err.message).toContain(sha256Fingerprint(B));
  expect(err.message).toMatch(/h1.*update hostKey\.fingerprint/s);
  expect(err.presented).toEqual([sha256Fingerprint(B)]);
});

test('known_hosts: match, changed, unknown, revoked; the file is re-read on every check', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'windock-kh-'));
  try {
    const file = path.join(dir, 'known_hosts');
    const line = (k: Buffer, host = '[127.0.0.2]:2212') => `${host} ssh-ed25519 ${k.toString('base64')}\n`;
    const p = createHostKeyPolicy(config({ knownHostsFile: file }));

    fs.writeFileSync(file, line(A));
    expect(p.prepare().families).toEqual(['ed25519']);
    expect(p.verify(A).ok).toBe(true);
    const changed = p.verify(B);
    expect(changed).toMatchObject({ ok: false, problem: 'changed', tryOtherTypes: false });
    expect(p.refusal([changed.presented], changed).message).toMatch(/ssh-keygen -R '\[127\.0\.0\.2\]:2212'/);

    fs.writeFileSync(file, line(A, 'other'));
    const unknown = p.verify(A);
    expect(unknown).toMatchObject({ ok: false, problem: 'unknown' });
    p.prepare();
    expect(p.refusal([unknown.presented], unknown).message).toMatch(
      /has no entry for "\[127\.0\.0\.2\]:2212".*ssh-keyscan -p 2212/,
    );

    fs.writeFileSync(file, line(A) + `@revoked * ssh-ed25519 ${A.toString('base64')}\n`);
    expect(p.verify(A)).toMatchObject({ ok: false, problem: 'revoked' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
