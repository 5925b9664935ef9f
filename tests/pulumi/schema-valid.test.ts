import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const SCHEMA = join(__dirname, '..', '..', 'schema.json');
const RESOURCES = ['WindowsVm', 'WindowsSnapshot', 'GpuAssignment'];

function info(...args: string[]) {
  return spawnSync('pulumi', ['package', 'info', SCHEMA, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: 'true' },
  });
}

/** The real Pulumi CLI validates schema.json against its metaschema and binds it. */
describe('schema.json in the real Pulumi CLI', () => {
  it('validates as a package of the three resources', () => {
    const result = info();
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Resources: ${RESOURCES.length}`);
  });

  it.each(RESOURCES)('binds %s with its inputs and outputs', (name) => {
    const result = info('--resource', name);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Resource: windock:index:${name}`);
    expect(result.stdout).toMatch(/Inputs:/);
  });
});
