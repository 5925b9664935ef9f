import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverGpus } from '../../gpu/discover';
import { buildSyntheticSysfs, syntheticWorkstation } from '../../gpu/fixtures/synthetic-sysfs';
import { rootedSysfs } from '../../gpu/sysfs-source';
import { createdOutputs } from './created-outputs';
import { newChangeLog } from './host-changes';
import { gpuAssignmentInputs } from './inputs';
import { planOrThrow } from './ready-device';

const root = buildSyntheticSysfs(mkdtempSync(join(tmpdir(), 'windock-sysfs-')), syntheticWorkstation());
afterAll(() => rmSync(root, { recursive: true, force: true }));
const inventory = discoverGpus(rootedSysfs(root));
const inputsOf = (over: Record<string, unknown>) =>
  gpuAssignmentInputs.parse({ name: 'gpu', host: 'lab-1', vm: 'build-01', ...over });

describe('the outputs create records (synthetic sysfs)', () => {
  it('records a whole GPU: its groups once, its model from the PCI ids without nvidia-smi (synthetic)', () => {
    const inputs = inputsOf({ select: { pciAddress: '0000:02:00.0' } });
    const plan = planOrThrow(inventory, inputs);
    if (!plan.device) throw new Error('no device');
    const log = newChangeLog();
    const outs = createdOutputs({
      inputs,
      assignmentId: 'a-1',
      ready: { plan, device: plan.device },
      targets: ['0000:02:00.0', '0000:02:00.1'],
      log,
      lockContainers: ['lock-1'],
    });
    expect(outs).toEqual({
      ...inputs,
      stateVersion: 1,
      assignmentId: 'a-1',
      pciAddress: '0000:02:00.0',
      parentAddress: '0000:02:00.0',
      mode: 'whole',
      vendor: 'amd',
      model: '0x1002:0x73bf',
      targets: ['0000:02:00.0', '0000:02:00.1'],
      iommuGroups: ['15'],
      resolvedMdevUuid: '',
      driversBefore: {},
      hostChanges: [],
      lockContainers: ['lock-1'],
      device: plan.device,
      reservation: 'reserved',
      warnings: [],
    });
  });

  it('records an existing mediated device by its UUID and group (synthetic)', () => {
    const inputs = inputsOf({
      select: { pciAddress: '0000:06:00.0' },
      mdevType: 'nvidia-63',
      mdevUuid: 'a1b2c3d4-0000-4000-8000-000000000001',
    });
    const plan = planOrThrow(inventory, inputs);
    if (!plan.device) throw new Error('no device');
    const outs = createdOutputs({
      inputs,
      assignmentId: 'a-2',
      ready: { plan, device: plan.device },
      targets: ['a1b2c3d4-0000-4000-8000-000000000001'],
      log: newChangeLog(),
      lockContainers: [],
    });
    expect(outs).toMatchObject({
      mode: 'mdev',
      iommuGroups: ['61'],
      resolvedMdevUuid: 'a1b2c3d4-0000-4000-8000-000000000001',
    });
  });

  it('fails create with every reason of the plan (synthetic)', () => {
    expect(() => planOrThrow(inventory, inputsOf({ select: { index: 0 } }))).toThrow(
      /console GPU \(boot_vga=1/,
    );
  });
});
