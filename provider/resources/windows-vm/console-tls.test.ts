import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleTlsInput, consoleTlsSecrets, consoleTlsSpecOf } from './console-tls';

/** A throwaway certificate and key (openssl, as a user would make them). */
function pair(): { certificate: string; privateKey: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wdk-tls-unit-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
    ].concat(['-subj', '/CN=t', '-keyout', join(dir, 'k'), '-out', join(dir, 'c')]),
    { stdio: 'ignore' },
  );
  return {
    certificate: readFileSync(join(dir, 'c'), 'utf8'),
    privateKey: readFileSync(join(dir, 'k'), 'utf8'),
  };
}

describe('console.tls input', () => {
  const a = pair();
  const b = pair();

  it('takes "generated" or a certificate with its own key', () => {
    expect(consoleTlsInput.parse('generated')).toBe('generated');
    expect(consoleTlsInput.parse(a)).toEqual(a);
  });

  it('names the field and the fix for a bad certificate, a bad key or a key of another certificate', () => {
    const issues = (value: unknown) =>
      consoleTlsInput.safeParse(value).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues({ ...a, certificate: 'nope' })).toContainEqual(
      expect.stringMatching(/^certificate: not a PEM/),
    );
    expect(issues({ ...a, privateKey: 'nope' })).toContainEqual(
      expect.stringMatching(/^privateKey: not a PEM/),
    );
    expect(issues({ ...a, privateKey: b.privateKey })).toContainEqual(
      expect.stringMatching(/^privateKey: this key does not belong/),
    );
  });

  it('puts secret file names in the spec and the PEM texts in the secret files', () => {
    expect(consoleTlsSpecOf(undefined)).toBeUndefined();
    expect(consoleTlsSpecOf('generated')).toEqual({ kind: 'generated' });
    expect(consoleTlsSpecOf(a)).toEqual({
      kind: 'provided',
      certificateSecret: 'console-tls-certificate',
      keySecret: 'console-tls-key',
    });
    expect(JSON.stringify(consoleTlsSpecOf(a))).not.toContain('PRIVATE KEY');
    expect(consoleTlsSecrets(a)).toEqual({
      'console-tls-certificate': a.certificate,
      'console-tls-key': a.privateKey,
    });
    expect(consoleTlsSecrets('generated')).toEqual({});
  });
});
