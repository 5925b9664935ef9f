import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverGpus, type HostGpuInventory } from '../discover';
import { buildSyntheticSysfs, syntheticWorkstation, type SyntheticHost } from '../fixtures/synthetic-sysfs';
import { rootedSysfs } from '../sysfs-source';
import { planPassthrough, type GpuRequest, type PlanOutcome } from '.';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** The synthetic workstation, its SR-IOV GPU's VF 0000:05:00.4 offering a vGPU type of its own. */
function vfWithMdevTypes(): HostGpuInventory {
  const host = syntheticWorkstation();
  const withTypes: SyntheticHost = {
    ...host,
    functions: host.functions.map((f) =>
      f.address === '0000:05:00.4'
        ? { ...f, mdevTypes: [{ id: 'amd-vf-1', name: 'VF slice 1', available: 2 }] }
        : f,
    ),
  };
  const root = buildSyntheticSysfs(mkdtempSync(join(tmpdir(), 'windock-sysfs-')), withTypes);
  roots.push(root);
  return discoverGpus(rootedSysfs(root));
}

const request = (over: Partial<GpuRequest>): GpuRequest => ({
  host: 'lab-1',
  vm: 'build-01',
  select: { pciAddress: '0000:05:00.0' },
  bindVfio: true,
  primaryDisplay: false,
  ...over,
});
const reasons = (outcome: PlanOutcome) => (outcome.ok ? [] : outcome.failures.map((f) => f.reason));

describe('mediated devices on a virtual function (synthetic sysfs)', () => {
  const inventory = vfWithMdevTypes();

  it('makes the mediated device on the virtual function chosen by index (synthetic)', () => {
    const outcome = planPassthrough(inventory, request({ virtualFunction: 0, mdevType: 'amd-vf-1' }));
    if (!outcome.ok) throw new Error(reasons(outcome).join('\n'));
    expect(outcome.mode).toBe('mdev');
    expect(outcome.address).toBe('0000:05:00.4');
    expect(outcome.parent).toBe('0000:05:00.0');
    expect(outcome.mdev).toMatchObject({ type: 'amd-vf-1', parent: '0000:05:00.4', exists: false });
    expect(outcome.functions.map((f) => f.address)).toEqual(['0000:05:00.4']);
    expect(outcome.toBind).toEqual([]);
    expect(outcome.device).toBeUndefined();
  });

  it('makes it on the virtual function named by its address, by the type name (synthetic)', () => {
    const outcome = planPassthrough(
      inventory,
      request({ select: { pciAddress: '0000:05:00.4' }, mdevType: 'VF slice 1' }),
    );
    expect(outcome.ok && outcome.mdev?.parent).toBe('0000:05:00.4');
  });

  it('fails on the virtual function before it looks at mediated device types (synthetic)', () => {
    expect(
      reasons(planPassthrough(inventory, request({ virtualFunction: 7, mdevType: 'amd-vf-1' }))),
    ).toEqual(['virtualFunction: GPU 0000:05:00.0 offers 4 virtual functions (0-3), not #7']);
  });

  it('refuses a mediated device UUID that exists with another type (synthetic)', () => {
    const outcome = planPassthrough(
      inventory,
      request({
        select: { pciAddress: '0000:06:00.0' },
        mdevType: 'nvidia-64',
        mdevUuid: 'A1B2C3D4-0000-4000-8000-000000000001',
      }),
    );
    expect(outcome.ok ? undefined : outcome.failures).toEqual([
      {
        property: 'mdevUuid',
        reason:
          'mdevUuid: mediated device a1b2c3d4-0000-4000-8000-000000000001 exists on host "lab-1" with type nvidia-63, not nvidia-64: choose another mdevUuid',
      },
    ]);
  });

  it("does not refuse the console GPU's virtual functions or mediated devices, only the whole GPU (synthetic)", () => {
    const console = planPassthrough(inventory, request({ select: { index: 0 }, mdevType: 'x' }));
    expect(reasons(console)[0]).toMatch(/^mdevType: 0000:00:02.0 on host "lab-1" offers no mediated devices/);
  });
});
