import { specFingerprint } from './fingerprint';
import { VM_SPEC_FINGERPRINTS, VM_SPEC_VERSION } from './version';

describe('the VM spec version follows its shape', () => {
  it('has the fingerprint recorded for VM_SPEC_VERSION', () => {
    const now = specFingerprint();
    const recorded = VM_SPEC_FINGERPRINTS[VM_SPEC_VERSION];
    if (now !== recorded) {
      throw new Error(
        `the VM spec's shape changed (fingerprint ${now}) but VM_SPEC_VERSION is still ${VM_SPEC_VERSION} ` +
          `(recorded ${recorded}). An older image would misread it: bump VM_SPEC_VERSION in contract/version.ts ` +
          `to ${VM_SPEC_VERSION + 1}, add upgradeV${VM_SPEC_VERSION} in contract/parse.ts (what an older ` +
          `document means in the new shape), a history line, and record ${VM_SPEC_VERSION + 1}: '${now}' in ` +
          'VM_SPEC_FINGERPRINTS. Only where the change is descriptions or a refactor of the same shape ' +
          'does the fingerprint stay.',
      );
    }
  });

  it('keeps one distinct fingerprint per version', () => {
    const values = Object.values(VM_SPEC_FINGERPRINTS);
    expect(new Set(values).size).toBe(values.length);
  });

  it('ignores descriptions but sees a new enum value', async () => {
    const { z } = await import('zod');
    const base = z.object({ mode: z.enum(['user', 'nat']) });
    expect(specFingerprint(base)).toBe(specFingerprint(base.describe('same shape, new words')));
    expect(specFingerprint(z.object({ mode: z.enum(['user', 'nat', 'own']) }))).not.toBe(
      specFingerprint(base),
    );
  });
});

describe('every older version upgrades', () => {
  it('has one upgrade step per version below VM_SPEC_VERSION, each landing on the next', async () => {
    const { SPEC_UPGRADES } = await import('./parse');
    const { VM_SPEC_MIN_VERSION } = await import('./version');
    for (let from = VM_SPEC_MIN_VERSION; from < VM_SPEC_VERSION; from++) {
      expect(SPEC_UPGRADES[from]).toBeDefined();
      expect(SPEC_UPGRADES[from]!({ specVersion: from }).specVersion).toBe(from + 1);
    }
  });
});
