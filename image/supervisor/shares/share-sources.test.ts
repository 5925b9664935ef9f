import { sampleSpec } from '../../../contract/sample-spec';
import type { VmSpec } from '../../../contract';
import { shareSourceMismatches } from './share-sources';

const spec: VmSpec = sampleSpec({
  shares: {
    shares: [
      {
        name: 'Data',
        path: '/shares/Data',
        readOnly: false,
        hostIdentity: { kind: 'directory', hostPath: '/srv/data', dev: '2049', ino: '18446744073709551000' },
      },
      { name: 'Tools', path: '/shares/Tools', readOnly: true, hostIdentity: { kind: 'volume' } },
      { name: 'Old', path: '/shares/Old', readOnly: true, hostIdentity: { kind: 'unchecked' } },
    ],
    auth: { kind: 'guest' },
  },
});

const folder = (dev: bigint, ino: bigint) => () => ({ dev, ino, isDirectory: () => true });

describe('shareSourceMismatches', () => {
  it('passes the folder the provider checked (inode numbers past 2^53 compared exactly)', () => {
    expect(shareSourceMismatches(spec, folder(2049n, 18446744073709551000n))).toEqual([]);
  });

  it('names the share whose folder was swapped, and checks only host folders', () => {
    const found = shareSourceMismatches(spec, folder(2049n, 18446744073709551001n));
    expect(found).toHaveLength(1);
    expect(found[0]!.share).toBe('Data');
    expect(found[0]!.reason).toMatch(/not the host folder \/srv\/data checked when the container was made/);
  });
});
