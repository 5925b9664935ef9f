import { checkWindowsSnapshot, UNKNOWN } from './check';

const base = { vm: '6f1c1d7e-2a4b-4c3d-9e8f-0a1b2c3d4e5f', containerName: 'windock-a', name: 'golden' };

describe('checkWindowsSnapshot', () => {
  it('normalizes valid inputs', () => {
    expect(checkWindowsSnapshot(base)).toEqual({
      ok: true,
      inputs: { ...base, host: 'local', memory: true, description: '' },
    });
  });

  it('lets a VM that is unknown at preview through', () => {
    expect(checkWindowsSnapshot({ ...base, vm: UNKNOWN, containerName: UNKNOWN }).ok).toBe(true);
    expect(checkWindowsSnapshot({ name: 'golden' }).ok).toBe(true);
  });

  // Found by tests/reliability/bad-input.test.ts: a known but invalid vm or containerName
  // passed check silently and failed later in create with a raw schema error.
  it('fails a known but invalid vm or containerName, naming the field', () => {
    expect(checkWindowsSnapshot({ ...base, containerName: 'bad name!' })).toEqual({
      ok: false,
      failures: [
        { property: 'containerName', reason: expect.stringMatching(/^containerName: a container name/) },
      ],
    });
    expect(checkWindowsSnapshot({ ...base, vm: '' })).toMatchObject({
      ok: false,
      failures: [{ property: 'vm' }],
    });
    expect(checkWindowsSnapshot({ ...base, vm: 42 })).toMatchObject({
      ok: false,
      failures: [{ property: 'vm' }],
    });
  });

  it('names every other bad field', () => {
    expect(checkWindowsSnapshot({ ...base, vm: UNKNOWN, name: 'bad name!' })).toMatchObject({
      ok: false,
      failures: [{ property: 'name' }],
    });
  });
});
