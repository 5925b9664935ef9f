import { engineUnreachableReason, HostUnreachableError } from './errors';
import { sha256Fingerprint } from './fingerprint';
import { parseHostConfig, type SshHostConfig } from './host-config';
import { createHostKeyPolicy } from './host-key-policy';

const keyBlob = (fill: number) => {
  const type = Buffer.from('ssh-ed25519');
  const b = Buffer.alloc(4 + type.length + 4 + 32);
  b.writeUInt32BE(type.length, 0);
  type.copy(b, 4);
  b.writeUInt32BE(32, 4 + type.length);
  b.fill(fill, 8 + type.length);
  return b;
};

const ssh = (hostKey: unknown) =>
  parseHostConfig({
    name: 'lab-2',
    kind: 'ssh',
    host: '127.0.0.2',
    port: 2212,
    user: 'u',
    hostKey,
    auth: { agent: true },
  }) as SshHostConfig;

/** The preview's text when a host's engine does not answer (issue #23: a doubled period). */
describe('engineUnreachableReason', () => {
  it('a host-key refusal reads as sentences with one period each, ending with its own fix', () => {
    const policy = createHostKeyPolicy(ssh({ fingerprint: sha256Fingerprint(keyBlob(1)) }));
    const verdict = policy.verify(keyBlob(2));
    const reason = engineUnreachableReason('lab-2', policy.refusal([verdict.presented], verdict));
    expect(reason).not.toMatch(/\.\./);
    expect(reason).toMatch(/[^.]\.$/);
    expect(reason).toMatch(/intercepting the connection\.$/);
    expect(reason).not.toContain('Check the windock:hosts config');
  });

  it('a known_hosts refusal too', () => {
    const policy = createHostKeyPolicy(ssh({ knownHostsFile: '/nonexistent/known_hosts' }));
    const refusal = policy.refusal([{ fingerprint: 'SHA256:x', keyType: 'ssh-ed25519' }], {
      ok: false,
      presented: { fingerprint: 'SHA256:x', keyType: 'ssh-ed25519' },
      tryOtherTypes: false,
      problem: 'unknown',
    });
    const reason = engineUnreachableReason('lab-2', refusal);
    expect(reason).not.toMatch(/\.\./);
    expect(reason).toMatch(/hostKey\.fingerprint\.$/);
  });

  it('an unreachable engine or a plain error gets the hint, after exactly one period', () => {
    const down = engineUnreachableReason('lab-2', new HostUnreachableError('lab-2', 'connect ECONNREFUSED.'));
    expect(down).toBe(
      'cannot reach the Docker engine of "lab-2": connect ECONNREFUSED. Check the windock:hosts config and that the engine runs.',
    );
    expect(engineUnreachableReason('local', new Error('did not answer within 15 s'))).toBe(
      'cannot reach the Docker engine of "local": did not answer within 15 s. Check the windock:hosts config and that the engine runs.',
    );
  });
});
