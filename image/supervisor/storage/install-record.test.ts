import { sampleSpec } from '../../../contract/sample-spec';
import type { InstallSpec, VmSpec } from '../../../contract';
import { planStorage } from './plan';
import type { VolumeRecord } from './volume-record';

const install = (cacheKey: string, version = 'server-2022'): InstallSpec => ({
  windows: { version, edition: 'standard', evaluationDays: 180 },
  media: {
    source: {
      kind: 'evaluation',
      product: `windows-${version}`,
      language: 'en-us',
      linkIndex: 0,
      endpoint: 'https://www.microsoft.com',
    },
    cacheKey,
  },
  fetchedBy: 'provider',
});
const base = sampleSpec({
  disks: [{ name: 'system', sizeMiB: 65536, format: 'qcow2', source: { kind: 'blank' }, readOnly: false }],
});
const withInstall = (i: InstallSpec): VmSpec => ({ ...base, install: i });
const now = new Date('2026-03-01T00:00:00Z');

describe('the volume record of installs (no silent reinstall)', () => {
  it('records which Windows, from which media, when the install starts', () => {
    const plan = planStorage(withInstall(install('windows-server-2022-eval-en-us')), {}, undefined, now);
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.record).toMatchObject({
      systemDiskOrigin: 'install:windows-server-2022-eval-en-us',
      install: {
        version: 'server-2022',
        edition: 'standard',
        mediaKey: 'windows-server-2022-eval-en-us',
        mediaSource: 'Evaluation Center windows-server-2022 (en-us)',
        startedAt: now.toISOString(),
      },
    });
  });

  it('goes on with the same media (a restart mid-install)', () => {
    const first = planStorage(withInstall(install('k1')), {}, undefined, now);
    if (!first.ok) throw new Error(first.reason);
    const again = planStorage(
      withInstall(install('k1')),
      { system: { exists: true, virtualSizeMiB: 65536 } },
      first.record,
    );
    expect(again).toMatchObject({ ok: true, record: first.record });
  });

  it('refuses other media, naming both and the fix, without an action', () => {
    const first = planStorage(withInstall(install('windows-server-2022-eval-en-us')), {}, undefined, now);
    if (!first.ok) throw new Error(first.reason);
    const other = planStorage(
      withInstall(install('windows-server-2025-eval-en-us', 'server-2025')),
      { system: { exists: true, virtualSizeMiB: 65536 } },
      first.record,
    );
    expect(other.ok).toBe(false);
    const reason = other.ok ? '' : other.reason;
    expect(reason).toMatch(
      /installed with Windows server-2022 standard from media windows-server-2022-eval-en-us/,
    );
    expect(reason).toMatch(/asks for Windows server-2025 standard from media windows-server-2025-eval-en-us/);
    expect(reason).toMatch(/The volume was not touched.*new volume/);
  });

  it('refuses to install over a system disk that came from elsewhere (an import)', () => {
    const record: VolumeRecord = {
      formatVersion: 1,
      vmUuid: base.identity.uuid,
      vmName: base.name,
      createdAt: now.toISOString(),
      createdBySpecVersion: 2,
      systemDiskOrigin: 'import:/storage/import/system.qcow2',
    };
    const plan = planStorage(
      withInstall(install('k1')),
      { system: { exists: true, virtualSizeMiB: 65536 } },
      record,
    );
    expect(plan).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /came from "import:\/storage\/import\/system.qcow2".*refusing to install over it/,
      ),
    });
  });
});
