import { sampleSpec } from '../../../contract/sample-spec';
import { parseVmSpec } from '../../../contract';
import { planStorage } from './plan';

const base = '/bases/windock-base-golden/disks/system.qcow2';
const clone = sampleSpec({
  disks: [
    { name: 'system', sizeMiB: 65536, format: 'qcow2', source: { kind: 'overlay', base }, readOnly: false },
  ],
});

describe('planStorage for linked clones (overlay disks)', () => {
  it('is a valid spec', () => {
    expect(parseVmSpec(JSON.parse(JSON.stringify(clone))).disks[0]!.source).toEqual({
      kind: 'overlay',
      base,
    });
  });

  it('creates the overlay over the base once, and records where the disk came from', () => {
    const plan = planStorage(clone, {}, undefined);
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.actions).toEqual([{ kind: 'overlay', disk: clone.disks[0], base }]);
    expect(plan.record.systemDiskOrigin).toBe(`overlay:${base}`);
  });

  it("keeps (and grows) an existing overlay: the clone's own changes are never reset", () => {
    const plan = planStorage(clone, { system: { exists: true, virtualSizeMiB: 1024 } }, undefined);
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.actions.map((a) => a.kind)).toEqual(['grow']);
  });

  it('refuses a raw overlay', () => {
    const raw = sampleSpec({ disks: [{ ...clone.disks[0]!, format: 'raw' }] });
    expect(planStorage(raw, {}, undefined)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/must be qcow2/),
    });
  });
});
