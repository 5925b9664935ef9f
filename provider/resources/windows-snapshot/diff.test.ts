import { diffWindowsSnapshot } from './diff';

const base = {
  vm: '6f1c1d7e-2a4b-4c3d-9e8f-0a1b2c3d4e5f',
  host: 'local',
  containerName: 'windock-a',
  name: 'golden',
  memory: true,
  description: '',
};

describe('diffWindowsSnapshot', () => {
  it('sees no change for the same inputs (computed outputs ignored)', () => {
    expect(diffWindowsSnapshot({ ...base, createdAt: 'x', vmStateBytes: 1, __provider: 'p' }, base)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: true,
    });
  });
  it('updates a description in place', () => {
    expect(diffWindowsSnapshot(base, { ...base, description: 'new' })).toMatchObject({
      changes: true,
      replaces: [],
    });
  });
  it.each([
    ['vm', 'other'],
    ['name', 'other'],
    ['memory', false],
    ['host', 'lab-1'],
    ['containerName', 'windock-b'],
  ])('replaces on %s', (field, value) => {
    expect(diffWindowsSnapshot(base, { ...base, [field]: value })).toMatchObject({
      changes: true,
      replaces: [field],
    });
  });
  it('plans an unknown VM as "may update", never as a replacement the up would not make', () => {
    // A replaced VM's new UUID is known at preview; unknown means not known yet, not "another VM".
    expect(diffWindowsSnapshot(base, { ...base, vm: '04da6b54-80e4-46f7-96ec-b56ff0331ba9' })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: true,
    });
    expect(diffWindowsSnapshot(base, { ...base, vm: 1 as unknown as string }).replaces).toEqual(['vm']);
  });
});
