import { checkWindowsVm } from './check';
import { identityFor } from './identity';
import { planImpact } from './impact';
import type { WindowsVmInputs } from './inputs';
import { toVmSpec } from './to-spec';
import { unattendSecrets } from './unattend-input';

const PASSWORD = 'S3cret-Admin-Pw';
const base = {
  name: 'build-01',
  media: { kind: 'windows', version: '11', edition: 'pro' },
  unattend: { adminUser: 'operator', adminPassword: PASSWORD, timeZone: 'W. Europe Standard Time' },
};

function check(news: Record<string, unknown>) {
  return checkWindowsVm({}, news);
}

describe('the unattend input', () => {
  test('is checked at preview by generating and validating the answer file; errors name the field and the fix', () => {
    const outcome = check({
      ...base,
      unattend: { ...base.unattend, computerName: 'WAY-TOO-LONG-NAME-1', timeZone: 'Europe/Berlin' },
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    const reasons = outcome.failures.map((f) => f.reason).join('\n');
    expect(outcome.failures.every((f) => f.property === 'unattend')).toBe(true);
    expect(reasons).toMatch(/unattend\.computerName: .*at most 15/);
    expect(reasons).toMatch(/unattend\.timeZone: .*IANA zone name/);
  });

  test('a too long password is refused without showing it', () => {
    const long = 'x'.repeat(128);
    const outcome = check({ ...base, unattend: { ...base.unattend, adminPassword: long } });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.failures[0]!.reason).toMatch(/unattend\.adminPassword: .*at most 127/);
      expect(outcome.failures[0]!.reason).not.toContain(long);
    }
  });

  test('needs install media', () => {
    const outcome = check({ ...base, media: { kind: 'disk-image', file: '/x.qcow2', format: 'qcow2' } });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok)
      expect(outcome.failures[0]!.reason).toMatch(/give media of kind "windows", "url" or "iso"/);
  });

  test('the spec names secret files, never the values; the computer name comes from the VM name', () => {
    const outcome = check(base);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const vm = outcome.inputs as WindowsVmInputs;
    const spec = toVmSpec(vm, identityFor('00000000-0000-4000-8000-000000000001'));
    expect(spec.install?.unattend).toMatchObject({
      adminUser: 'operator',
      adminPasswordSecret: 'admin-password',
      computerName: 'BUILD-01',
      keyboard: 'en-US',
      rdp: true,
    });
    expect(JSON.stringify(spec)).not.toContain(PASSWORD);
    expect(unattendSecrets(vm.unattend)).toEqual({ 'admin-password': PASSWORD });
  });

  test('a change is tier none and says it applies to a new install only (never a replace)', () => {
    const before = check(base);
    const after = check({ ...base, unattend: { ...base.unattend, timeZone: 'UTC' } });
    if (!before.ok || !after.ok) throw new Error('inputs should be valid');
    const plan = planImpact(before.inputs as WindowsVmInputs, after.inputs as WindowsVmInputs);
    expect(plan).toMatchObject({ ok: true, tier: 'none' });
    if (plan.ok) {
      expect(plan.message).toContain('applies to a new install only');
      expect(plan.message).not.toContain(PASSWORD);
    }
  });
});
