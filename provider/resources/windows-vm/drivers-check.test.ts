import { checkWindowsVm } from './check';

const windows = { kind: 'windows', version: '11' };

describe('drivers "none" at preview', () => {
  it("is refused with Microsoft's media: the field, why, and the fix", () => {
    expect(checkWindowsVm({}, { name: 'a', media: windows, drivers: { kind: 'none' } })).toEqual({
      ok: false,
      failures: [
        {
          property: 'drivers',
          reason: expect.stringMatching(/^drivers: kind "none" .*virtio system disk.*: remove drivers/),
        },
      ],
    });
  });

  it('is allowed with an ISO of your own (it may carry the drivers); the default drivers pass', () => {
    const own = { kind: 'iso', hostPath: '/srv/iso/win.iso', version: '11' };
    expect(checkWindowsVm({}, { name: 'a', media: own, drivers: { kind: 'none' } }).ok).toBe(true);
    expect(checkWindowsVm({}, { name: 'a', media: windows }).ok).toBe(true);
  });
});
