import { applySysfsWrites, type GpuHostAccess } from '../../gpu/helper';
import type { PassthroughPlan } from '../../gpu/plan';
import { makeHostChanges, newChangeLog, undoHostChanges, undoWrites } from './host-changes';

jest.mock('../../gpu/helper', () => ({ applySysfsWrites: jest.fn() }));
const apply = jest.mocked(applySysfsWrites);
const host = { hostName: 'lab-1' } as GpuHostAccess;

/** A SYNTHETIC plan: only the fields host changes read. */
const planned = (over: Partial<PassthroughPlan>): PassthroughPlan =>
  ({ toBind: [], mdev: undefined, ...over }) as PassthroughPlan;

beforeEach(() => apply.mockReset().mockResolvedValue(undefined));

describe('host changes of a GPU assignment (synthetic plans, sysfs writes recorded)', () => {
  it('creates the mediated device, then binds each function, logging each change and the driver it had', async () => {
    const log = newChangeLog();
    await makeHostChanges(
      host,
      true,
      planned({
        mdev: { uuid: 'u-1', type: 'nvidia-63', parent: '0000:06:00.0', exists: false },
        toBind: [{ address: '0000:01:00.0', driver: 'nvidia' }, { address: '0000:01:00.1' }],
      }),
      log,
    );
    expect(apply.mock.calls.map(([, , what]) => what)).toEqual([
      'creating mediated device u-1',
      'binding 0000:01:00.0 to vfio-pci',
      'binding 0000:01:00.1 to vfio-pci',
    ]);
    expect(log).toEqual({
      hostChanges: ['created-mdev u-1', 'bound 0000:01:00.0', 'bound 0000:01:00.1'],
      driversBefore: { '0000:01:00.0': 'nvidia' },
    });
  });

  it('changes nothing without bindVfio, nor for an mdev that exists', async () => {
    const log = newChangeLog();
    const toBind = [{ address: '0000:01:00.0', driver: 'nvidia' }];
    await makeHostChanges(host, false, planned({ toBind }), log);
    await makeHostChanges(
      host,
      true,
      planned({ mdev: { uuid: 'u-1', type: 't', parent: 'p', exists: true } }),
      log,
    );
    expect(apply).not.toHaveBeenCalled();
    expect(log.hostChanges).toEqual([]);
  });

  it('logs only the changes made before a failure, and undoes those in reverse, ignoring its own failure', async () => {
    apply.mockResolvedValueOnce(undefined).mockRejectedValueOnce(new Error('busy'));
    const log = newChangeLog();
    const toBind = [{ address: '0000:01:00.0' }, { address: '0000:01:00.1' }];
    await expect(makeHostChanges(host, true, planned({ toBind }), log)).rejects.toThrow('busy');
    expect(log.hostChanges).toEqual(['bound 0000:01:00.0']);
    apply.mockRejectedValueOnce(new Error('gone'));
    await expect(undoHostChanges(host, log)).resolves.toBeUndefined();
    expect(apply).toHaveBeenLastCalledWith(host, undoWrites(log.hostChanges), 'undoing the host changes');
  });

  it('undoes bindings and mediated devices last-made first', () => {
    expect(undoWrites(['created-mdev u-1', 'bound 0000:01:00.0']).map((w) => w.path)).toEqual([
      'bus/pci/devices/0000:01:00.0/driver_override',
      'bus/pci/devices/0000:01:00.0/driver/unbind',
      'bus/pci/drivers_probe',
      'bus/mdev/devices/u-1/remove',
    ]);
  });
});
