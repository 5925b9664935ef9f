import { checkWindowsVm } from './check';

const media = { kind: 'disk-image', file: '/images/win11.qcow2', format: 'qcow2' };

function reasons(news: Record<string, unknown>): string[] {
  const outcome = checkWindowsVm({}, { name: 'vm-1', media, ...news });
  return outcome.ok ? [] : outcome.failures.map((f) => `${f.property} | ${f.reason}`);
}

/** One size parser for every size input: memory, systemDiskSize, disks[].size (issue #23). */
describe('size inputs at preview', () => {
  it.each([
    [{ memory: '8 GB' }, /^memory \| memory: "8 GB" is a decimal size .* write "8GiB" \(8192 MiB\)/],
    [{ systemDiskSize: '64GB' }, /^systemDiskSize \| systemDiskSize: "64GB" is a decimal size .*"64GiB"/],
    [{ disks: [{ name: 'data', size: '100GB' }] }, /^disks \| disks\.0\.size: "100GB" is a decimal size/],
  ])('%p is refused, naming the field and the binary fix', (news, reason) =>
    expect(reasons(news)).toEqual([expect.stringMatching(reason)]),
  );

  it('memory: 8 says that a plain number is MiB', () =>
    expect(reasons({ memory: 8 })).toEqual([
      expect.stringMatching(/^memory \| memory: 8 MiB is less than the 128MiB needed: a plain number is MiB/),
    ]));

  it('a plain number of disk MiB below the minimum says so too', () =>
    expect(reasons({ disks: [{ name: 'data', size: 10 }] })).toEqual([
      expect.stringMatching(/disks\.0\.size: 10 MiB is less than the 64MiB needed: a plain number is MiB/),
    ]));

  it('binary sizes and plain MiB pass', () =>
    expect(
      reasons({ memory: '8G', systemDiskSize: 65536, disks: [{ name: 'data', size: '100GiB' }] }),
    ).toEqual([]));
});
