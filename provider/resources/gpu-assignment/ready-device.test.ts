import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverGpus, type HostGpuInventory } from '../../gpu/discover';
import {
  buildSyntheticSysfs,
  syntheticWorkstation,
  type SyntheticHost,
} from '../../gpu/fixtures/synthetic-sysfs';
import { applySysfsWrites, readHostInventory, type GpuHostAccess } from '../../gpu/helper';
import { rootedSysfs } from '../../gpu/sysfs-source';
import { newChangeLog } from './host-changes';
import { gpuAssignmentInputs } from './inputs';
import { planOrThrow, readyDevice } from './ready-device';

jest.mock('../../gpu/helper', () => ({ applySysfsWrites: jest.fn(), readHostInventory: jest.fn() }));
const apply = jest.mocked(applySysfsWrites);
const reread = jest.mocked(readHostInventory);
const host = { hostName: 'lab-1' } as GpuHostAccess;

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
function inventoryOf(host: SyntheticHost): HostGpuInventory {
  const root = buildSyntheticSysfs(mkdtempSync(join(tmpdir(), 'windock-sysfs-')), host);
  roots.push(root);
  return discoverGpus(rootedSysfs(root));
}
/** The synthetic workstation after binding: its NVIDIA GPU 0000:01:00.x on `driver`. */
const after = (driver: string) => {
  const before = syntheticWorkstation();
  return inventoryOf({
    ...before,
    functions: before.functions.map((f) => (f.address.startsWith('0000:01:00.') ? { ...f, driver } : f)),
  });
};

const inputs = gpuAssignmentInputs.parse({
  name: 'gpu',
  host: 'lab-1',
  vm: 'build-01',
  select: { pciAddress: '0000:01:00.0' },
  bindVfio: true,
});
const before = inventoryOf(syntheticWorkstation());

beforeEach(() => {
  apply.mockReset().mockResolvedValue(undefined);
  reread.mockReset();
});

describe('making the host ready for the planned device (synthetic sysfs, helper calls recorded)', () => {
  it('binds, reads the host again, and returns the device planned from it (synthetic)', async () => {
    reread.mockResolvedValue(after('vfio-pci'));
    const log = newChangeLog();
    const ready = await readyDevice(host, inputs, planOrThrow(before, inputs), log);
    expect(log.hostChanges).toEqual(['bound 0000:01:00.0', 'bound 0000:01:00.1']);
    expect(ready.plan.toBind).toEqual([]);
    expect(ready.device).toMatchObject({
      kind: 'pci',
      functions: [{ iommuGroup: '14' }, { iommuGroup: '14' }],
    });
  });

  it('fails naming the function still on its driver after binding (synthetic)', async () => {
    reread.mockResolvedValue(after('nvidia'));
    await expect(readyDevice(host, inputs, planOrThrow(before, inputs), newChangeLog())).rejects.toThrow(
      '0000:01:00.0 is on nvidia after binding, not vfio-pci: something on host "lab-1" still uses it',
    );
  });

  it('needs no second look when nothing changed (synthetic)', async () => {
    const ready = { ...inputs, select: { pciAddress: '0000:02:00.0' } };
    const device = await readyDevice(host, ready, planOrThrow(before, ready), newChangeLog());
    expect(reread).not.toHaveBeenCalled();
    expect(device.device.kind).toBe('pci');
  });

  it('fails when a created mediated device has no IOMMU group yet (synthetic)', async () => {
    reread.mockResolvedValue(before);
    const mdev = { ...inputs, select: { pciAddress: '0000:06:00.0' }, mdevType: 'nvidia-63' };
    await expect(readyDevice(host, mdev, planOrThrow(before, mdev), newChangeLog())).rejects.toThrow(
      /^the mediated device [0-9a-f-]{36} has no IOMMU group on host "lab-1" after it was created$/,
    );
  });
});
