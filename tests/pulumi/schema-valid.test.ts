import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The real Pulumi CLI validates schema.json against its metaschema and binds it. */
describe('schema.json in the real Pulumi CLI', () => {
  it('validates and lists every resource', () => {
    const result = spawnSync('pulumi', ['package', 'info', join(__dirname, '..', '..', 'schema.json')], {
      encoding: 'utf8',
      env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: 'true' },
    });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Resource: windock:index:WindowsVm');
  });
});
