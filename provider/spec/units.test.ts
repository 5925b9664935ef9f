import { parseByteSize, sizeMiB } from './units';

describe('sizes', () => {
  it.each([
    ['8GiB', 8 * 1024 ** 3],
    ['4G', 4 * 1024 ** 3],
    ['512 MiB', 512 * 1024 ** 2],
    ['64GB', 64 * 1000 ** 3],
    ['1.5G', 1.5 * 1024 ** 3],
    [1024, 1024],
  ])('parses %s', (input, bytes) => expect(parseByteSize(input)).toBe(bytes));

  it.each(['', 'lots', '8 parsecs', '-1G', 'G8'])('refuses %p', (input) =>
    expect(parseByteSize(input)).toBeUndefined(),
  );

  it('normalizes to MiB and explains a bad value', () => {
    expect(sizeMiB.parse('8GiB')).toBe(8192);
    expect(sizeMiB.parse(8192)).toBe(8192);
    expect(sizeMiB.parse(sizeMiB.parse('512MiB'))).toBe(512);
    const result = sizeMiB.safeParse('eight gigs');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/like "8GiB"/);
  });
});
