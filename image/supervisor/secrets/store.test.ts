import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleSpec } from '../../../contract/sample-spec';
import { hasSecrets, readSecret, secretNames, storeSecrets, waitForSecrets } from './store';

describe('secret store', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'wdk-secrets-'));

  it('writes 0400 files that read back exactly, and leaves no temporary file', () => {
    const d = dir();
    storeSecrets({ 'console-token': 'abc', 'admin-password': ' p@ss\n' }, d);
    expect(readSecret('admin-password', d)).toBe(' p@ss\n');
    expect(statSync(join(d, 'console-token')).mode & 0o777).toBe(0o400);
    expect(readdirSync(d).sort()).toEqual(['admin-password', 'console-token']);
  });

  it('refuses names that could leave the folder, and values that are not strings', () => {
    const d = dir();
    expect(() => storeSecrets({ '../etc/passwd': 'x' }, d)).toThrow(/not a secret file name/);
    expect(() => storeSecrets({ '.hidden': 'x' }, d)).toThrow(/not a secret file name/);
    expect(() => storeSecrets({ ok: 1 as unknown as string }, d)).toThrow(/not a string/);
    expect(() => readSecret('a/b', d)).toThrow(/not a secret file name/);
  });

  it('waits until every named secret is there', async () => {
    const d = dir();
    let done = false;
    const waiting = waitForSecrets(['a', 'b'], d, 10).then(() => (done = true));
    storeSecrets({ a: '1' }, d);
    await new Promise((r) => setTimeout(r, 50));
    expect(done).toBe(false);
    storeSecrets({ b: '2' }, d);
    await waiting;
    expect(hasSecrets(['a', 'b'], d)).toBe(true);
  });

  it('names the secrets a spec refers to', () => {
    const spec = sampleSpec();
    expect(secretNames(spec)).toEqual({ console: ['console-token'], shares: [], install: [] });
    expect(secretNames({ ...spec, console: { ...spec.console, auth: { kind: 'none' } } }).console).toEqual(
      [],
    );
  });
});
