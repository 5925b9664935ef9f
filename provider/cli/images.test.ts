import { parseImagesArgs } from './images';

describe('parseImagesArgs', () => {
  it('reads prune with its host and image', () => {
    expect(parseImagesArgs(['prune'])).toEqual({ action: 'prune', host: 'local' });
    expect(parseImagesArgs(['prune', '--host', 'lab-1', '--image', 'windock/vm:dev'])).toEqual({
      action: 'prune',
      host: 'lab-1',
      image: 'windock/vm:dev',
    });
  });

  it('refuses what it does not know, saying what it expected', () => {
    expect(() => parseImagesArgs([])).toThrow('say prune');
    expect(() => parseImagesArgs(['list'])).toThrow('say prune (not "list")');
    expect(() => parseImagesArgs(['prune', '--host'])).toThrow('--host needs a value');
    expect(() => parseImagesArgs(['prune', '--force', 'x'])).toThrow('unknown option --force');
  });
});
