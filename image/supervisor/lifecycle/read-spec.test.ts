import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleSpec } from '../../../contract/sample-spec';
import { VM_SPEC_VERSION } from '../../../contract/version';
import { EXIT, SupervisorError } from '../exit-codes';
import { readSpec } from './read-spec';

describe('reading the VM spec', () => {
  const dir = mkdtempSync(join(tmpdir(), 'windock-read-spec-'));
  const path = join(dir, 'spec.json');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const failure = (): SupervisorError => {
    try {
      readSpec(path);
    } catch (error) {
      return error as SupervisorError;
    }
    throw new Error('readSpec did not fail');
  };

  it('reads the spec the provider wrote', () => {
    writeFileSync(path, JSON.stringify(sampleSpec()));
    expect(readSpec(path).name).toBe(sampleSpec().name);
  });

  it('refuses a missing spec: not started by the provider', () => {
    rmSync(path, { force: true });
    expect(failure()).toMatchObject({ exitCode: EXIT.SPEC_INVALID, step: 'spec' });
    expect(failure().message).toBe(`no VM spec at ${path}: this image is started by the windock provider`);
  });

  it('refuses an invalid spec', () => {
    writeFileSync(path, '{"specVersion": 1');
    expect(failure()).toMatchObject({ exitCode: EXIT.SPEC_INVALID, step: 'spec' });
  });

  it('refuses a newer spec version with its own exit code', () => {
    writeFileSync(path, JSON.stringify({ ...sampleSpec(), specVersion: VM_SPEC_VERSION + 1 }));
    expect(failure()).toMatchObject({ exitCode: EXIT.SPEC_VERSION, step: 'spec' });
  });
});
