import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverGpus, type HostGpuInventory } from './discover';
import { buildSyntheticSysfs, syntheticWorkstation, type SyntheticHost } from './fixtures/synthetic-sysfs';
import { parseNvidiaSmi } from './nvidia-smi';
import { derivedMdevUuid, planPassthrough, type GpuRequest, type PassthroughPlan } from './plan';
import { rootedSysfs } from './sysfs-source';

const recorded = parseNvidiaSmi(readFileSync(join(__dirname, 'fixtures', 'nvidia-smi.recorded.csv'), 'utf8'));
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function inventoryOf(
  host: SyntheticHost = syntheticWorkstation(),
  nvidia: typeof recorded | null = recorded,
): HostGpuInventory {
  const root = buildSyntheticSysfs(mkdtempSync(join(tmpdir(), 'windock-sysfs-')), host);
  roots.push(root);
  return discoverGpus(rootedSysfs(root), nvidia ?? undefined);
}

const request = (over: Partial<GpuRequest>): GpuRequest => ({
  host: 'lab-1',
  vm: 'build-01',
  select: { index: 1 },
  bindVfio: false,
  primaryDisplay: false,
  ...over,
});
const reasons = (outcome: ReturnType<typeof planPassthrough>) =>
  outcome.ok ? [] : outcome.failures.map((f) => f.reason);
const ok = (outcome: ReturnType<typeof planPassthrough>): PassthroughPlan => {
  if (!outcome.ok) throw new Error(outcome.failures.map((f) => f.reason).join('\n'));
  return outcome;
};

describe('passthrough preflight on synthetic sysfs trees', () => {
  const workstation = inventoryOf();

  it('passes a GPU already on vfio-pci with its audio function, whose group holds only a bridge besides (synthetic)', () => {
    const plan = ok(planPassthrough(workstation, request({ select: { pciAddress: '02:00.0' } })));
    expect(plan.mode).toBe('whole');
    expect(plan.toBind).toEqual([]);
    expect(plan.hostSteps).toEqual([]);
    expect(plan.device).toEqual({
      kind: 'pci',
      id: 'gpu0',
      functions: [
        { address: '0000:02:00.0', iommuGroup: '15' },
        { address: '0000:02:00.1', iommuGroup: '15' },
      ],
      primaryDisplay: false,
    });
  });

  it('prints the exact host steps per function when the GPU is on its own driver and bindVfio is off (synthetic)', () => {
    const [reason] = reasons(planPassthrough(workstation, request({ select: { index: 1 } })));
    expect(reason).toContain(
      'host "lab-1" is not ready: 0000:01:00.0 is on nvidia, 0000:01:00.1 is on snd_hda_intel, not vfio-pci. Run as root on the host:',
    );
    expect(reason).toContain(
      [
        'echo vfio-pci > /sys/bus/pci/devices/0000:01:00.0/driver_override',
        '[ -e /sys/bus/pci/devices/0000:01:00.0/driver ] && echo 0000:01:00.0 > /sys/bus/pci/devices/0000:01:00.0/driver/unbind',
        'echo 0000:01:00.0 > /sys/bus/pci/drivers_probe',
        'echo vfio-pci > /sys/bus/pci/devices/0000:01:00.1/driver_override',
        '[ -e /sys/bus/pci/devices/0000:01:00.1/driver ] && echo 0000:01:00.1 > /sys/bus/pci/devices/0000:01:00.1/driver/unbind',
        'echo 0000:01:00.1 > /sys/bus/pci/drivers_probe',
      ].join('\n  '),
    );
    expect(reason).toContain('or set bindVfio: true');
  });

  it('plans the binding when bindVfio is on, and warns about the nvidia driver (synthetic)', () => {
    const plan = ok(planPassthrough(workstation, request({ select: { index: 1 }, bindVfio: true })));
    expect(plan.toBind).toEqual([
      { address: '0000:01:00.0', driver: 'nvidia' },
      { address: '0000:01:00.1', driver: 'snd_hda_intel' },
    ]);
    expect(plan.warnings.join(' ')).toMatch(/0000:01:00.0 is on the nvidia driver/);
  });

  it('selects by the UUID of recorded nvidia-smi output', () => {
    const plan = ok(
      planPassthrough(
        workstation,
        request({ select: { uuid: 'GPU-5a2e7c1b-3f7d-9b0e-2c41-8d6f0a9b3e21' }, bindVfio: true }),
      ),
    );
    expect(plan.address).toBe('0000:01:00.0');
    expect(
      reasons(
        planPassthrough(
          workstation,
          request({ select: { uuid: 'GPU-00000000-0000-0000-0000-000000000000' } }),
        ),
      )[0],
    ).toMatch(
      /nvidia-smi on host "lab-1" lists no GPU GPU-00000000.*it lists: GPU-5a2e7c1b-3f7d-9b0e-2c41-8d6f0a9b3e21 = 0000:01:00.0/,
    );
  });

  it('refuses a UUID where nvidia-smi did not answer (synthetic tree, no recorded output)', () => {
    const without = inventoryOf(syntheticWorkstation(), null);
    expect(
      reasons(
        planPassthrough(without, request({ select: { uuid: 'GPU-5a2e7c1b-3f7d-9b0e-2c41-8d6f0a9b3e21' } })),
      )[0],
    ).toMatch(/nvidia-smi did not answer on host "lab-1".*select by pciAddress/);
  });

  it("refuses the host's console GPU (boot_vga) (synthetic)", () => {
    expect(
      reasons(planPassthrough(workstation, request({ select: { index: 0 }, bindVfio: true })))[0],
    ).toMatch(/0000:00:02.0 is host "lab-1"'s console GPU \(boot_vga=1/);
  });

  it('refuses a GPU whose IOMMU group holds another device, naming it (synthetic)', () => {
    expect(
      reasons(
        planPassthrough(workstation, request({ select: { pciAddress: '0000:03:00.0' }, bindVfio: true })),
      ),
    ).toEqual([
      'IOMMU group 16 of 0000:03:00.0 on host "lab-1" also holds 0000:04:00.0 (other, 0x8086:0x15b8, driver e1000e), which would have to go to the same VM: ' +
        'a group passes whole. Move the GPU to another slot (one whose group holds only it), or enable ACS in the firmware setup',
    ]);
  });

  it('refuses everything when the IOMMU is off, with the kernel parameters (synthetic)', () => {
    const off = inventoryOf(syntheticWorkstation({ iommuOff: true }));
    expect(reasons(planPassthrough(off, request({ select: { pciAddress: '0000:02:00.0' } })))[0]).toMatch(
      /host "lab-1" has the IOMMU off .*intel_iommu=on iommu=pt .*amd_iommu=on iommu=pt/,
    );
  });

  it('asks for modprobe vfio-pci when the driver is not registered (synthetic)', () => {
    const host = syntheticWorkstation();
    const noVfio: SyntheticHost = {
      ...host,
      drivers: ['pcieport'],
      functions: host.functions.filter((f) => f.driver !== 'vfio-pci'),
    };
    const inventory = inventoryOf(noVfio);
    expect(inventory.vfioPciLoaded).toBe(false);
    expect(
      reasons(planPassthrough(inventory, request({ select: { pciAddress: '0000:01:00.0' } })))[0],
    ).toMatch(/Run as root on the host:\n {2}modprobe vfio-pci\n {2}echo vfio-pci/);
    expect(
      reasons(
        planPassthrough(inventory, request({ select: { pciAddress: '0000:01:00.0' }, bindVfio: true })),
      )[0],
    ).toMatch(/vfio-pci is not loaded on host "lab-1": run `modprobe vfio-pci`/);
  });

  it('names what is there when the selection matches nothing (synthetic)', () => {
    expect(reasons(planPassthrough(workstation, request({ select: { index: 9 } })))[0]).toMatch(
      /host "lab-1" has 6 GPU\(s\), no #9\. GPUs on host "lab-1": #0 0000:00:02.0 intel/,
    );
    expect(
      reasons(planPassthrough(workstation, request({ select: { pciAddress: '0000:04:00.0' } })))[0],
    ).toMatch(/0000:04:00.0 \(other, .*\) is not a GPU \(PCI class 0x020000\)/);
    expect(
      reasons(planPassthrough(workstation, request({ select: { pciAddress: '0000:09:00.0' } })))[0],
    ).toMatch(/there is no PCI device 0000:09:00.0/);
    // The audio function of a GPU selects the GPU.
    expect(
      ok(planPassthrough(workstation, request({ select: { pciAddress: '0000:02:00.1' } }))).address,
    ).toBe('0000:02:00.0');
  });

  it('passes an SR-IOV virtual function, by index or by address (synthetic)', () => {
    const byIndex = ok(
      planPassthrough(workstation, request({ select: { pciAddress: '0000:05:00.0' }, virtualFunction: 1 })),
    );
    expect(byIndex.mode).toBe('virtual-function');
    expect(byIndex.address).toBe('0000:05:00.5');
    expect(byIndex.parent).toBe('0000:05:00.0');
    expect(byIndex.device).toMatchObject({
      kind: 'pci',
      functions: [{ address: '0000:05:00.5', iommuGroup: '41' }],
    });
    expect(ok(planPassthrough(workstation, request({ select: { pciAddress: '0000:05:00.4' } }))).mode).toBe(
      'virtual-function',
    );
  });

  it('says how to enable more virtual functions, and refuses SR-IOV on a GPU without it (synthetic)', () => {
    expect(
      reasons(
        planPassthrough(workstation, request({ select: { pciAddress: '0000:05:00.0' }, virtualFunction: 2 })),
      )[0],
    ).toMatch(
      /has 2 virtual functions enabled, #2 needs 3\. .*echo 3 > \/sys\/bus\/pci\/devices\/0000:05:00.0\/sriov_numvfs.*first: echo 0 >/,
    );
    expect(
      reasons(
        planPassthrough(workstation, request({ select: { pciAddress: '0000:05:00.0' }, virtualFunction: 7 })),
      )[0],
    ).toMatch(/offers 4 virtual functions \(0-3\), not #7/);
    expect(
      reasons(
        planPassthrough(workstation, request({ select: { pciAddress: '0000:02:00.0' }, virtualFunction: 0 })),
      )[0],
    ).toMatch(/has no SR-IOV/);
  });

  it('plans a mediated device (vGPU) with a stable UUID and prints its create step (synthetic)', () => {
    const uuid = derivedMdevUuid('lab-1', 'build-01', '0000:06:00.0', 'nvidia-63');
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(
      reasons(
        planPassthrough(
          workstation,
          request({ select: { pciAddress: '0000:06:00.0' }, mdevType: 'nvidia-63' }),
        ),
      )[0],
    ).toContain(`echo ${uuid} > /sys/bus/pci/devices/0000:06:00.0/mdev_supported_types/nvidia-63/create`);
    const planned = ok(
      planPassthrough(
        workstation,
        request({ select: { pciAddress: '0000:06:00.0' }, mdevType: 'GRID T4-1Q', bindVfio: true }),
      ),
    );
    expect(planned.mdev).toEqual({
      uuid,
      type: 'nvidia-63',
      parent: '0000:06:00.0',
      exists: false,
      iommuGroup: undefined,
    });
    expect(planned.device).toBeUndefined(); // its IOMMU group is known once it exists
  });

  it('uses an existing mediated device as it is (synthetic)', () => {
    const plan = ok(
      planPassthrough(
        workstation,
        request({
          select: { pciAddress: '0000:06:00.0' },
          mdevType: 'nvidia-63',
          mdevUuid: 'a1b2c3d4-0000-4000-8000-000000000001',
        }),
      ),
    );
    expect(plan.hostSteps).toEqual([]);
    expect(plan.device).toEqual({
      kind: 'mdev',
      id: 'gpu0',
      uuid: 'a1b2c3d4-0000-4000-8000-000000000001',
      iommuGroup: '61',
      primaryDisplay: false,
    });
  });

  it('refuses unknown and exhausted mediated device types, listing what is offered (synthetic)', () => {
    expect(
      reasons(
        planPassthrough(
          workstation,
          request({ select: { pciAddress: '0000:06:00.0' }, mdevType: 'nvidia-99' }),
        ),
      )[0],
    ).toMatch(
      /offers no type "nvidia-99"; it offers: nvidia-63 \(GRID T4-1Q, 15 free\), nvidia-64 \(GRID T4-2Q, 0 free\)/,
    );
    expect(
      reasons(
        planPassthrough(
          workstation,
          request({ select: { pciAddress: '0000:06:00.0' }, mdevType: 'nvidia-64', bindVfio: true }),
        ),
      )[0],
    ).toMatch(/no free instance of nvidia-64/);
    expect(
      reasons(
        planPassthrough(
          workstation,
          request({ select: { pciAddress: '0000:02:00.0' }, mdevType: 'nvidia-63' }),
        ),
      )[0],
    ).toMatch(/offers no mediated devices/);
  });

  it('gives function 0 a ROM file and the primary display in the device spec (synthetic)', () => {
    const plan = ok(
      planPassthrough(
        workstation,
        request({
          select: { pciAddress: '0000:02:00.0' },
          romFile: '/srv/roms/rx6800.rom',
          primaryDisplay: true,
        }),
      ),
    );
    expect(plan.device).toMatchObject({
      rom: { hostFile: '/srv/roms/rx6800.rom', file: '/etc/windock/vfio/gpu0.rom' },
      primaryDisplay: true,
    });
  });
});
