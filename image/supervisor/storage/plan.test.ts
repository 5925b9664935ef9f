import { sampleSpec } from '../../../contract/sample-spec';
import { planStorage } from './plan';
import type { VolumeRecord } from './volume-record';

const spec = sampleSpec({
  disks: [
    { name: 'system', sizeMiB: 65536, format: 'qcow2', source: { kind: 'blank' }, readOnly: false },
    {
      name: 'data',
      sizeMiB: 2048,
      format: 'qcow2',
      source: { kind: 'import', path: '/storage/import/data.vhdx', format: 'vhdx' },
      readOnly: false,
    },
  ],
});
const record: VolumeRecord = {
  formatVersion: 1,
  vmUuid: spec.identity.uuid,
  vmName: spec.name,
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBySpecVersion: 1,
  systemDiskOrigin: 'blank',
};

describe('planStorage', () => {
  it('creates and imports what a new volume lacks, and records whose volume it is', () => {
    const plan = planStorage(spec, {}, undefined, new Date('2026-11-21T00:00:00Z'));
    expect(plan).toMatchObject({ ok: true, warnings: [] });
    if (!plan.ok) throw new Error('unreachable');
    expect(plan.actions.map((a) => a.kind)).toEqual(['create', 'import']);
    expect(plan.record).toMatchObject({
      vmUuid: spec.identity.uuid,
      systemDiskOrigin: 'blank',
      createdAt: '2026-11-21T00:00:00.000Z',
    });
  });

  it('keeps existing disks: never re-imports, grows, never shrinks', () => {
    const plan = planStorage(
      spec,
      { system: { exists: true, virtualSizeMiB: 32768 }, data: { exists: true, virtualSizeMiB: 4096 } },
      record,
    );
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.actions.map((a) => [a.kind, a.disk.name])).toEqual([
      ['grow', 'system'],
      ['keep', 'data'],
    ]);
    expect(plan.warnings[0]).toMatch(/disk "data" is 4096 MiB.*never shrink/);
  });

  it("refuses another VM's volume", () => {
    const plan = planStorage(spec, {}, { ...record, vmUuid: 'a-different-vm', vmName: 'other' });
    expect(plan).toEqual({ ok: false, reason: expect.stringMatching(/belongs to VM "other".*refusing/) });
  });

  it('takes a volume over only when the spec allows reinstall', () => {
    const plan = planStorage({ ...spec, allowReinstall: true }, {}, { ...record, vmUuid: 'a-different-vm' });
    expect(plan.ok && plan.record.vmUuid).toBe(spec.identity.uuid);
  });

  it('refuses a missing block device', () => {
    const withDevice = sampleSpec({
      disks: [
        {
          name: 'system',
          sizeMiB: 65536,
          format: 'raw',
          source: { kind: 'block-device', device: '/dev/sdz' },
          readOnly: false,
        },
      ],
    });
    expect(planStorage(withDevice, { system: { exists: false } }, undefined)).toEqual({
      ok: false,
      reason: expect.stringMatching(/\/dev\/sdz is missing/),
    });
  });
});
