// The install image is picked from the image list read out of the media's install.wim/esd,
// with the real tools (wimlib, 7-Zip, a UDF ISO made by genisoimage), never by a name guessed
// from the edition.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VmSpec } from '../../contract';
import { installImageFor } from '../../image/supervisor/install/media/wim/install-image';
import { pickInstallImage } from '../../image/supervisor/install/media/wim/pick-image';
import { readIsoImages } from '../../image/supervisor/install/media/wim/read-iso-images';
import { makeWindowsIso, type TestImage } from './media-wim';

const X64 = 9;
const ARM64 = 12;
let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'windock-partb-wim-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Windows 11 Enterprise evaluation media: one image, named as on the real ISO.
const ENTERPRISE_EVAL: TestImage[] = [
  {
    name: 'Windows 11 Enterprise Evaluation',
    editionId: 'EnterpriseEval',
    arch: X64,
    flags: 'EnterpriseEval',
  },
];
// Server evaluation media: four images, Core first, as Microsoft orders them.
const SERVER_2022_EVAL: TestImage[] = [
  ['SERVERSTANDARDCORE', 'ServerStandardEval', 'Server Core'],
  ['SERVERSTANDARD', 'ServerStandardEval', 'Server'],
  ['SERVERDATACENTERCORE', 'ServerDatacenterEval', 'Server Core'],
  ['SERVERDATACENTER', 'ServerDatacenterEval', 'Server'],
].map(([suffix, editionId, installationType]) => ({
  name: `Windows Server 2022 ${suffix}`,
  editionId,
  installationType,
  arch: X64,
}));

async function pick(images: TestImage[], version: string, edition: string, evaluation = true) {
  const iso = join(dir, `${version}-${edition}-${Math.random().toString(36).slice(2)}.iso`);
  makeWindowsIso(iso, images);
  const list = await readIsoImages(iso);
  return pickInstallImage(list!, { version, edition, evaluation }, iso);
}

describe('install image picked from the media (wimlib)', () => {
  it('reads the image list out of a UDF ISO without mounting or extracting it', async () => {
    const iso = join(dir, 'server.iso');
    makeWindowsIso(iso, SERVER_2022_EVAL, { payloadBytes: 8 * 1024 * 1024 });
    await expect(readIsoImages(iso)).resolves.toEqual([
      expect.objectContaining({
        index: 1,
        name: 'Windows Server 2022 SERVERSTANDARDCORE',
        editionId: 'ServerStandardEval',
        installationType: 'Server Core',
        arch: 'x64',
      }),
      expect.objectContaining({ index: 2, name: 'Windows Server 2022 SERVERSTANDARD' }),
      expect.objectContaining({ index: 3, name: 'Windows Server 2022 SERVERDATACENTERCORE' }),
      expect.objectContaining({ index: 4, name: 'Windows Server 2022 SERVERDATACENTER' }),
    ]);
  });

  it('picks "Windows 11 Enterprise Evaluation" for Windows 11 enterprise (the name the old code guessed is not on the media)', async () => {
    await expect(pick(ENTERPRISE_EVAL, '11', 'enterprise')).resolves.toMatchObject({
      index: 1,
      name: 'Windows 11 Enterprise Evaluation',
    });
  });

  it('picks the server edition and installation type by EDITIONID, whatever the order', async () => {
    await expect(pick(SERVER_2022_EVAL, 'server-2022', 'datacenter')).resolves.toMatchObject({ index: 4 });
    await expect(pick(SERVER_2022_EVAL, 'server-2022', 'standard-core')).resolves.toMatchObject({ index: 1 });
  });

  it('picks consumer editions by EDITIONID and never an N edition for the plain one', async () => {
    const consumer: TestImage[] = [
      { name: 'Windows 11 Home', editionId: 'Core', arch: X64 },
      { name: 'Windows 11 Pro N', editionId: 'ProfessionalN', arch: X64 },
      { name: 'Windows 11 Pro', editionId: 'Professional', arch: X64 },
    ];
    await expect(pick(consumer, '11', 'pro', false)).resolves.toMatchObject({
      index: 3,
      name: 'Windows 11 Pro',
    });
  });

  it('falls back to the NAME where a WIM carries no EDITIONID, and reads an install.esd', async () => {
    const iso = join(dir, 'esd.iso');
    makeWindowsIso(iso, [{ name: 'Windows 10 Education' }, { name: 'Windows 10 Enterprise Evaluation' }], {
      wimName: 'install.esd',
      solid: true,
    });
    const list = await readIsoImages(iso);
    expect(
      pickInstallImage(list!, { version: '10', edition: 'enterprise', evaluation: true }, iso),
    ).toMatchObject({
      index: 2,
    });
  });

  it('refuses media with no x64 image (an arm64 ISO for an x64 VM), naming what it holds', async () => {
    const arm: TestImage[] = [
      { name: 'Windows 11 Enterprise Evaluation', editionId: 'EnterpriseEval', arch: ARM64 },
    ];
    await expect(pick(arm, '11', 'enterprise')).rejects.toThrow(
      /holds no x64 image \(it has 1: Windows 11 Enterprise Evaluation \(EnterpriseEval, arm64\)\).*use x64 media/,
    );
  });

  it('says which images the media has when none is the edition asked for', async () => {
    await expect(pick(ENTERPRISE_EVAL, '11', 'pro', false)).rejects.toThrow(
      /has no image for Windows 11 pro \(EDITIONID Professional\): it has 1: Windows 11 Enterprise Evaluation \(EnterpriseEval, x64\)/,
    );
  });

  it('returns no list for an ISO without sources/install.wim or .esd (the stand-in media)', async () => {
    const iso = join(dir, 'plain.iso');
    makeWindowsIso(iso, [], { extra: { 'README.TXT': 'not Windows' } });
    await expect(readIsoImages(iso)).resolves.toBeUndefined();
  });

  it("hands the answer file the index of the spec's edition on the spec's media (the supervisor's call)", async () => {
    const iso = join(dir, 'spec-media.iso');
    makeWindowsIso(iso, [
      { name: 'Windows 10 Pro', editionId: 'Professional', arch: X64 },
      ...ENTERPRISE_EVAL,
    ]);
    const spec = (edition: string) =>
      ({
        install: {
          windows: { version: '11', edition, evaluationDays: 90 },
          media: { source: { kind: 'host-file', path: iso }, cacheKey: 'host-test' },
          fetchedBy: 'provider',
        },
      }) as unknown as VmSpec;
    await expect(installImageFor(spec('enterprise'))).resolves.toEqual({
      index: 2,
      name: 'Windows 11 Enterprise Evaluation',
    });
    await expect(installImageFor(spec('education'))).rejects.toMatchObject({
      step: 'install: media image',
      message: expect.stringMatching(/no image for Windows 11 education.*1: Windows 10 Pro/),
    });
  });
});
