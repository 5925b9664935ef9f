import { atLeastMiB, parseByteSize, sizeMiB } from './units';

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

describe('decimal units and plain numbers (issue #23)', () => {
  it('refuses "8 GB" instead of taking it as 7630 MiB, naming both fixes', () => {
    const result = sizeMiB.safeParse('8 GB');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      '"8 GB" is a decimal size (8000000000 bytes, 7629.4 MiB); sizes here are binary: ' +
        'write "8GiB" (8192 MiB), or "7630MiB" to keep the decimal size',
    );
  });

  it.each(['64GB', '1TB', '512mb', '100 kB'])('refuses the decimal unit of %p', (input) =>
    expect(sizeMiB.safeParse(input).success).toBe(false),
  );

  it.each([
    ['8G', 8192],
    ['8GiB', 8192],
    ['1T', 1024 * 1024],
  ])('keeps binary %p', (input, mib) => expect(sizeMiB.parse(input)).toBe(mib));

  it('says that a plain number is MiB when it is below the minimum', () => {
    const result = sizeMiB.pipe(atLeastMiB(128)).safeParse(8);
    expect(result.error?.issues[0]?.message).toBe(
      '8 MiB is less than the 128MiB needed: a plain number is MiB, so write a size with its unit, ' +
        'like "8GiB", or a number of MiB of at least 128',
    );
  });
});
