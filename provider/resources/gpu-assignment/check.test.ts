import { checkGpuAssignment, diffGpuAssignment, UNKNOWN } from './check';
import { gpuInputRefusal } from './for-vm';
import { gpuAssignmentInputs } from './inputs';

const base = { name: 'gpu0', vm: 'build-01', select: { pciAddress: '0000:01:00.0' } };

describe('GpuAssignment check and diff', () => {
  it('fills defaults and asks the host for a new assignment', () => {
    const outcome = checkGpuAssignment({}, base);
    expect(outcome).toMatchObject({
      ok: true,
      preflight: true,
      inputs: { host: 'local', bindVfio: false, primaryDisplay: false, labels: {} },
    });
  });

  it('does not ask the host again when nothing but labels changed', () => {
    const old = (checkGpuAssignment({}, base) as { inputs: Record<string, unknown> }).inputs;
    expect(checkGpuAssignment(old, { ...base, labels: { team: 'qa' } })).toMatchObject({
      ok: true,
      preflight: false,
    });
    expect(checkGpuAssignment(old, { ...base, select: { index: 0 } })).toMatchObject({
      ok: true,
      preflight: true,
    });
  });

  it('refuses two selectors at once, a bad UUID, and mdevUuid without mdevType', () => {
    expect(checkGpuAssignment({}, { ...base, select: { pciAddress: '0000:01:00.0', index: 0 } }).ok).toBe(
      false,
    );
    expect(checkGpuAssignment({}, { ...base, select: { uuid: 'nope' } }).ok).toBe(false);
    const outcome = checkGpuAssignment({}, { ...base, mdevUuid: 'a1b2c3d4-0000-4000-8000-000000000001' });
    expect(outcome.ok ? [] : outcome.failures.map((f) => f.reason)).toEqual([
      'mdevUuid: mdevUuid needs mdevType',
    ]);
  });

  it('passes unknown values through during preview', () => {
    expect(checkGpuAssignment({}, { ...base, vm: UNKNOWN })).toMatchObject({ ok: true, unknown: true });
  });

  it('replaces on a new device or VM, updates labels only, and takes a lost reservation again', () => {
    const old = {
      ...(checkGpuAssignment({}, base) as { inputs: Record<string, unknown> }).inputs,
      reservation: 'reserved',
      assignmentId: 'x',
    };
    expect(diffGpuAssignment(old, { ...old, select: { index: 1 } })).toEqual({
      changes: true,
      replaces: ['select'],
      deleteBeforeReplace: true,
    });
    expect(diffGpuAssignment(old, { ...old, vm: 'other' }).replaces).toEqual(['vm']);
    expect(diffGpuAssignment(old, { ...old, labels: { a: 'b' } })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: true,
    });
    expect(diffGpuAssignment(old, old).changes).toBe(false);
    expect(diffGpuAssignment({ ...old, reservation: 'lost' }, old)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: true,
    });
  });

  it('tells a VM that a GPU needs KVM', () => {
    expect(gpuInputRefusal({ gpu: 'id', accelerator: 'tcg' })?.reason).toMatch(/needs KVM/);
    expect(gpuInputRefusal({ gpu: 'id', accelerator: 'auto' })).toBeUndefined();
    expect(gpuInputRefusal({ accelerator: 'tcg' })).toBeUndefined();
  });
});

describe('romFile', () => {
  it('refuses a system location, whose bytes QEMU would hand to the guest', () => {
    const outcome = gpuAssignmentInputs.safeParse({
      name: 'gpu0',
      vm: 'cad-01',
      select: { index: 0 },
      romFile: '/etc/shadow',
    });
    expect(outcome.success).toBe(false);
    expect(outcome.error?.issues[0]?.path).toEqual(['romFile']);
    const fine = gpuAssignmentInputs.safeParse({
      name: 'gpu0',
      vm: 'cad-01',
      select: { index: 0 },
      romFile: '/srv/roms/gpu.rom',
    });
    expect(fine.success).toBe(true);
  });
});
