import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverGpus } from './discover';
import { buildSyntheticSysfs, syntheticWorkstation } from './fixtures/synthetic-sysfs';
import { parseNvidiaSmi } from './nvidia-smi';
import { normalizePciAddress } from './pci-address';
import { parseSysfsDump, rootedSysfs, SYSFS_DUMP_SCRIPT } from './sysfs-source';

const recorded = readFileSync(join(__dirname, 'fixtures', 'nvidia-smi.recorded.csv'), 'utf8');

describe('GPU discovery on a synthetic sysfs tree', () => {
  let root: string;
  beforeAll(() => {
    root = buildSyntheticSysfs(mkdtempSync(join(tmpdir(), 'windock-sysfs-')), syntheticWorkstation());
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds every physical GPU in PCI order with vendor, driver, group and functions (synthetic)', () => {
    const inventory = discoverGpus(rootedSysfs(root));
    expect(inventory.iommuEnabled).toBe(true);
    expect(inventory.vfioPciLoaded).toBe(true);
    expect(inventory.gpus.map((g) => [g.index, g.address, g.vendor])).toEqual([
      [0, '0000:00:02.0', 'intel'],
      [1, '0000:01:00.0', 'nvidia'],
      [2, '0000:02:00.0', 'amd'],
      [3, '0000:03:00.0', 'nvidia'],
      [4, '0000:05:00.0', 'amd'],
      [5, '0000:06:00.0', 'nvidia'],
    ]);
    const rtx = inventory.gpus[1]!;
    expect(rtx.functions.map((f) => [f.address, f.kind, f.driver, f.iommuGroup])).toEqual([
      ['0000:01:00.0', 'vga', 'nvidia', '14'],
      ['0000:01:00.1', 'audio', 'snd_hda_intel', '14'],
    ]);
    expect(rtx.groupMembers).toEqual([]);
    expect(inventory.gpus[0]!.functions[0]!.bootVga).toBe(true);
  });

  it("lists the other members of a GPU's IOMMU group (synthetic)", () => {
    const inventory = discoverGpus(rootedSysfs(root));
    expect(inventory.gpus[2]!.groupMembers.map((f) => [f.address, f.kind])).toEqual([
      ['0000:00:03.0', 'bridge'],
    ]);
    expect(inventory.gpus[3]!.groupMembers.map((f) => [f.address, f.kind, f.driver])).toEqual([
      ['0000:04:00.0', 'other', 'e1000e'],
    ]);
  });

  it('reads SR-IOV virtual functions and mediated device types (synthetic)', () => {
    const inventory = discoverGpus(rootedSysfs(root));
    const pf = inventory.gpus[4]!.functions[0]!;
    expect(pf.sriov).toEqual({ total: 4, enabled: 2, virtualFunctions: ['0000:05:00.4', '0000:05:00.5'] });
    expect(inventory.functions.find((f) => f.address === '0000:05:00.4')!.physfn).toBe('0000:05:00.0');
    const vgpu = inventory.gpus[5]!.functions[0]!;
    expect(vgpu.mdevTypes.map((t) => [t.id, t.name, t.availableInstances, t.instances])).toEqual([
      ['nvidia-63', 'GRID T4-1Q', 15, ['a1b2c3d4-0000-4000-8000-000000000001']],
      ['nvidia-64', 'GRID T4-2Q', 0, []],
    ]);
    expect(inventory.mdevs).toEqual([
      {
        uuid: 'a1b2c3d4-0000-4000-8000-000000000001',
        parent: '0000:06:00.0',
        type: 'nvidia-63',
        iommuGroup: '61',
      },
    ]);
  });

  it('sees the IOMMU off when there are no groups (synthetic)', () => {
    const off = buildSyntheticSysfs(
      mkdtempSync(join(tmpdir(), 'windock-sysfs-')),
      syntheticWorkstation({ iommuOff: true }),
    );
    try {
      const inventory = discoverGpus(rootedSysfs(off));
      expect(inventory.iommuEnabled).toBe(false);
      expect(inventory.gpus[1]!.functions[0]!.iommuGroup).toBeUndefined();
    } finally {
      rmSync(off, { recursive: true, force: true });
    }
  });

  it("reads the same through the helper's dump script as directly (synthetic tree, real sh)", () => {
    const dump = spawnSync('sh', ['-c', SYSFS_DUMP_SCRIPT, 'sh', root], { encoding: 'utf8' });
    expect(dump.status).toBe(0);
    expect(discoverGpus(parseSysfsDump(dump.stdout))).toEqual(discoverGpus(rootedSysfs(root)));
  });

  it('refuses a truncated dump', () => {
    expect(() => parseSysfsDump('D\tbus/pci/devices\t0000:01:00.0\n')).toThrow(/incomplete/);
  });

  it('joins recorded nvidia-smi output by PCI address', () => {
    const inventory = discoverGpus(rootedSysfs(root), parseNvidiaSmi(recorded));
    expect(inventory.nvidiaSmi).toBe(true);
    expect(inventory.gpus[1]!.nvidia).toMatchObject({
      uuid: 'GPU-5a2e7c1b-3f7d-9b0e-2c41-8d6f0a9b3e21',
      name: 'NVIDIA GeForce RTX 3080',
    });
    expect(inventory.gpus[0]!.nvidia).toBeUndefined();
  });
});

describe('recorded nvidia-smi output', () => {
  it('parses index, UUID, bus id, name, driver version and memory', () => {
    expect(parseNvidiaSmi(recorded)).toEqual([
      {
        index: 0,
        uuid: 'GPU-5a2e7c1b-3f7d-9b0e-2c41-8d6f0a9b3e21',
        pciAddress: '0000:01:00.0',
        name: 'NVIDIA GeForce RTX 3080',
        driverVersion: '550.54.14',
        memoryMiB: 10240,
      },
      {
        index: 1,
        uuid: 'GPU-0f9d1c22-7a61-4e8b-a3c5-61b2e9d0c7f4',
        pciAddress: '0000:03:00.0',
        name: 'NVIDIA RTX A4000',
        driverVersion: '550.54.14',
        memoryMiB: 16376,
      },
      {
        index: 2,
        uuid: 'GPU-c3e81a07-52d4-4b19-8e6a-9f0d2b7c1a55',
        pciAddress: '0000:06:00.0',
        name: 'Tesla T4',
        driverVersion: '550.54.14',
        memoryMiB: 15360,
      },
    ]);
  });

  it('skips what is not a GPU row (recorded messages of a host without GPUs)', () => {
    expect(parseNvidiaSmi('No devices were found\n')).toEqual([]);
    expect(
      parseNvidiaSmi("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n"),
    ).toEqual([]);
  });

  it('keeps commas in a name', () => {
    expect(
      parseNvidiaSmi(
        '0, GPU-11111111-2222-3333-4444-555555555555, 00000000:81:00.0, Quadro RTX 6000, Rev. B, 535.1, 24576',
      )[0],
    ).toMatchObject({
      name: 'Quadro RTX 6000, Rev. B',
      pciAddress: '0000:81:00.0',
    });
  });
});

describe('PCI addresses', () => {
  it('normalizes the short, full and nvidia-smi forms', () => {
    expect(normalizePciAddress('01:00.0')).toBe('0000:01:00.0');
    expect(normalizePciAddress('0000:0A:1f.3')).toBe('0000:0a:1f.3');
    expect(normalizePciAddress('00000000:01:00.0')).toBe('0000:01:00.0');
    expect(normalizePciAddress('GPU-1')).toBeUndefined();
    expect(normalizePciAddress('0000:01:00.8')).toBeUndefined();
  });
});
