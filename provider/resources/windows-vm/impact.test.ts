import { planImpact } from './impact';
import { windowsVmInputs, type WindowsVmInputs } from './inputs';

const base = (overrides: Record<string, unknown> = {}): WindowsVmInputs =>
  windowsVmInputs.parse({
    name: 'build-01',
    media: { kind: 'disk-image', file: '/images/win11.qcow2', format: 'qcow2' },
    ...overrides,
  });

describe('planImpact', () => {
  it('says "no change" when nothing changed', () => {
    expect(planImpact(base(), base())).toMatchObject({ ok: true, tier: 'none', changes: [] });
  });

  it('puts CPU and RAM in the restart tier and says what happens to the disk', () => {
    const plan = planImpact(base({ cpu: 2, memory: '4GiB' }), base({ cpu: 4, memory: '8GiB' }));
    expect(plan).toMatchObject({ ok: true, tier: 'restart' });
    expect(plan.ok && plan.message).toBe(
      'restart: cpu 2 → 4, memory 4GiB → 8GiB (graceful power-down, a new container on the same disks, boot)',
    );
  });

  it('applies a disk grow live and refuses a shrink', () => {
    expect(planImpact(base({ systemDiskSize: '64GiB' }), base({ systemDiskSize: '128GiB' }))).toMatchObject({
      ok: true,
      tier: 'live',
    });
    expect(planImpact(base({ systemDiskSize: '64GiB' }), base({ systemDiskSize: '32GiB' }))).toEqual({
      ok: false,
      field: 'systemDiskSize',
      message: expect.stringMatching(/disks never shrink: systemDiskSize is 64GiB/),
    });
  });

  it('treats adding a disk as a restart and growing one as live', () => {
    const one = base({ disks: [{ name: 'data', size: '10GiB' }] });
    expect(planImpact(one, base({ disks: [{ name: 'data', size: '20GiB' }] }))).toMatchObject({
      tier: 'live',
    });
    expect(
      planImpact(
        one,
        base({
          disks: [
            { name: 'data', size: '10GiB' },
            { name: 'logs', size: '1GiB' },
          ],
        }),
      ),
    ).toMatchObject({ tier: 'restart' });
    expect(planImpact(one, base({ disks: [{ name: 'data', size: '5GiB' }] }))).toMatchObject({
      ok: false,
      field: 'disks',
    });
  });

  it('replaces for install-time inputs and warns that the old disks go', () => {
    const plan = planImpact(
      base(),
      base({ media: { kind: 'disk-image', file: '/images/other.qcow2', format: 'qcow2' } }),
    );
    expect(plan).toMatchObject({ ok: true, tier: 'replace' });
    expect(plan.ok && plan.message).toMatch(/old disks are DELETED: set retainStorageOnDelete to keep them/);
    const kept = planImpact(base(), base({ host: 'lab-2', retainStorageOnDelete: true }));
    expect(kept.ok && kept.message).toMatch(/old disks are kept/);
  });

  it('puts ports and console changes in the restart tier, policies in none, power in live', () => {
    expect(planImpact(base(), base({ ports: [{ name: 'web', guest: 80 }] }))).toMatchObject({
      tier: 'restart',
    });
    expect(planImpact(base(), base({ console: { viewOnly: true } }))).toMatchObject({ tier: 'restart' });
    expect(planImpact(base(), base({ timeouts: { createSeconds: 60 } }))).toMatchObject({ tier: 'none' });
    expect(planImpact(base(), base({ labels: { team: 'qa' } }))).toMatchObject({ tier: 'none' });
    expect(planImpact(base(), base({ powerState: 'stopped' }))).toMatchObject({ tier: 'live' });
  });

  it('takes the worst tier of several changes', () => {
    const plan = planImpact(base(), base({ cpu: 8, powerState: 'stopped', labels: { a: 'b' } }));
    expect(plan).toMatchObject({ ok: true, tier: 'restart' });
    expect(plan.ok && plan.changes.map((c) => [c.field, c.tier])).toEqual([
      ['cpu', 'restart'],
      ['powerState', 'live'],
      ['labels', 'none'],
    ]);
  });

  it('refuses moving an installed system between BIOS and UEFI', () => {
    expect(planImpact(base({ firmware: 'uefi' }), base({ firmware: 'bios' }))).toMatchObject({
      ok: false,
      field: 'firmware',
    });
    expect(
      planImpact(base({ firmware: 'uefi' }), base({ firmware: 'uefi-secure', tpm: true })),
    ).toMatchObject({ ok: true, tier: 'restart' });
  });
});
