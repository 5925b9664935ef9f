import { judgeImageInfo, judgeVirtualSize } from './validate';

const judged = {
  field: 'media.file',
  formatField: 'media.format',
  declared: 'qcow2' as const,
  length: 1 << 20,
};

describe('judgeImageInfo', () => {
  it('accepts a self-contained image of the declared format', () => {
    expect(judgeImageInfo({ format: 'qcow2', 'virtual-size': 1 << 30 }, judged)).toBeUndefined();
  });
  it('names the field and the fix for a file that is not an image', () => {
    expect(judgeImageInfo({ format: 'raw', 'virtual-size': 10 }, judged)).toMatch(
      /^media\.file: the file is not a disk image format .*set media\.format/,
    );
  });
  it('refuses a backing file reference and an external data file', () => {
    expect(
      judgeImageInfo({ format: 'qcow2', 'virtual-size': 1, 'backing-filename': '/etc/shadow' }, judged),
    ).toMatch(/backing file \(\/etc\/shadow\); refused/);
    expect(
      judgeImageInfo(
        { format: 'qcow2', 'virtual-size': 1, 'format-specific': { data: { 'data-file': '/dev/sda' } } },
        judged,
      ),
    ).toMatch(/external file \(\/dev\/sda\); refused/);
  });
  it('refuses a raw file that is not whole sectors', () => {
    expect(
      judgeImageInfo({ format: 'raw', 'virtual-size': 5 }, { ...judged, declared: 'raw', length: 5 }),
    ).toMatch(/not a whole number of 512-byte sectors/);
  });
});

describe('judgeVirtualSize', () => {
  it('names systemDiskSize and the size needed', () => {
    expect(judgeVirtualSize(4 * 1024 ** 3, 1024, 'media.file')).toMatch(
      /^systemDiskSize: .*at least 4096MiB/,
    );
    expect(judgeVirtualSize(4 * 1024 ** 3, 4096, 'media.file')).toBeUndefined();
  });
});
