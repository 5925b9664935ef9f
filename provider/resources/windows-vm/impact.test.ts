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

  it('says a restore happens in place, at the next power-on, or with a restart: what the up does', () => {
    const running = base();
    const inPlace = planImpact(running, base({ restoreFrom: { snapshot: 'clean' } }));
    expect(inPlace).toMatchObject({ ok: true, tier: 'restart' });
    expect(inPlace.ok && inPlace.message).toMatch(
      /^restore: restoreFrom → snapshot "clean" \(generation 0\) \(restored in place: the running VM loads snapshot "clean"/,
    );
    expect(inPlace.ok && inPlace.message).not.toMatch(/new container on the same disks/);
    const withCpu = planImpact(running, base({ restoreFrom: { snapshot: 'clean' }, cpu: 4 }));
    expect(withCpu.ok && withCpu.message).toMatch(
      /^restart: .*\(graceful power-down, a new container on the same disks, started from snapshot "clean"\)$/,
    );
    const stopped = planImpact(
      base({ powerState: 'stopped' }),
      base({ powerState: 'stopped', restoreFrom: { snapshot: 'clean' } }),
    );
    expect(stopped.ok && stopped.message).toMatch(/starts from snapshot "clean" at the next power-on/);
    // Dropping restoreFrom from the program restores nothing and restarts nothing.
    const dropped = planImpact(base({ restoreFrom: { snapshot: 'clean' } }), running);
    expect(dropped).toMatchObject({ ok: true, tier: 'none' });
  });

  it('says what a live or restart change does to a stopped VM, and what a power change does', () => {
    const stopped = base({ powerState: 'stopped' });
    const stop = planImpact(base(), stopped);
    expect(stop.ok && stop.message).toBe(
      'live: powerState running → stopped (graceful power-down; the container and disks stay)',
    );
    const start = planImpact(stopped, base());
    expect(start.ok && start.message).toMatch(/\(the VM starts in its container, on the same disks\)$/);
    const grow = planImpact(stopped, base({ powerState: 'stopped', systemDiskSize: '256GiB' }));
    expect(grow.ok && grow.message).toMatch(/\(recorded in the stopped VM; applied when it next starts\)$/);
    const cpu = planImpact(stopped, base({ powerState: 'stopped', cpu: 4 }));
    expect(cpu.ok && cpu.message).toMatch(/\(a new container on the same disks, left stopped/);
    expect(cpu.ok && cpu.message).not.toMatch(/boot/);
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
