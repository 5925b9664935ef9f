// Bad input for all three resources: a corpus and property-based generation (fast-check) over
// every input, in-process against the pure check functions (thousands of inputs), then a few
// through the real Pulumi engine: the preview fails naming the field and nothing is made.
import fc from 'fast-check';
import { join } from 'node:path';
import { checkGpuAssignment } from '../../provider/resources/gpu-assignment/check';
import { gpuAssignmentInputs } from '../../provider/resources/gpu-assignment/inputs';
import { windowsSnapshotProvider } from '../../provider/resources/windows-snapshot/provider';
import { windowsSnapshotInputs } from '../../provider/resources/windows-snapshot/inputs';
import { checkWindowsVm, UNKNOWN } from '../../provider/resources/windows-vm/check';
import { windowsVmInputFields, windowsVmInputs } from '../../provider/resources/windows-vm/inputs';
import { inputsOf } from '../../provider/resources/windows-vm/outputs';
import { localDocker, uniqueName } from '../rig/docker';
import { PulumiRig } from '../rig/pulumi';
import { Results } from './results';

const results = new Results();
afterAll(() => results.flush());

const media = { kind: 'disk-image', file: '/images/win11.qcow2', format: 'qcow2' };
const baseVm = { name: 'vm-1', media };
const VM_FIELDS = Object.keys(windowsVmInputFields.shape);

/** Any JSON-ish value, including the shapes a user may get wrong. */
const junk = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 2 ** 53, -(2 ** 53), '', ' ', '\u0000', '../../etc/passwd'),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), { maxKeys: 4 }),
  fc.constantFrom('8GiB', '-1GiB', '1e400GiB', '0x10MiB', '9'.repeat(400), 'a'.repeat(5000) + '!'),
);

/** A check must answer quickly whatever it gets (no catastrophic regex backtracking). */
function timed<T>(fn: () => T): T {
  const start = performance.now();
  const out = fn();
  const ms = performance.now() - start;
  if (ms > 250) throw new Error(`a check took ${ms.toFixed(0)} ms`);
  return out;
}

type Failures = Array<{ property: string; reason: string }>;

function expectNamedFailures(failures: Failures, field: string): void {
  expect(failures.length).toBeGreaterThan(0);
  for (const f of failures) {
    expect(typeof f.reason).toBe('string');
    expect(f.reason.length).toBeGreaterThan(0);
  }
  // The field is named: as the failure's property, and at the start of its reason.
  expect(failures.some((f) => f.property === field && f.reason.startsWith(field))).toBe(true);
}

describe('WindowsVm check', () => {
  const row = results.row('bad input', 'WindowsVm check (corpus + generated)');
  afterAll(() => {
    if (row.inputsTried > 0) row.pass();
  });

  // Hand-written: each breaks one input, the field the failure must name.
  const corpus: Array<[string, Record<string, unknown>]> = [
    ['name', { name: 'Build 01!' }],
    ['name', { name: '' }],
    ['name', { name: 'a'.repeat(42) }],
    ['name', { name: '../etc' }],
    ['name', { name: 'vm;rm -rf /' }],
    ['host', { host: '-lab' }],
    ['host', { host: 'lab 1' }],
    ['host', { host: 'a'.repeat(64) }],
    ['media', { media: undefined }],
    ['media', { media: { kind: 'iso', file: '/x.iso' } }],
    ['media', { media: { kind: 'kernel', kernelFile: '/k', initrdFile: '/i' } }],
    ['media', { media: { kind: 'disk-image', file: '', format: 'qcow2' } }],
    ['media', { media: { kind: 'disk-image', file: '/x', format: 'vmdk' } }],
    ['media', { media: { ...media, extra: true } }],
    ['cpu', { cpu: 0 }],
    ['cpu', { cpu: -1 }],
    ['cpu', { cpu: 1.5 }],
    ['cpu', { cpu: 257 }],
    ['cpu', { cpu: '4' }],
    ['memory', { memory: 'lots' }],
    ['memory', { memory: '-1GiB' }],
    ['memory', { memory: '64MiB' }],
    ['memory', { memory: 100 }],
    ['memory', { memory: 1.5 }],
    ['memory', { memory: {} }],
    ['systemDiskSize', { systemDiskSize: '10MiB' }],
    ['systemDiskSize', { systemDiskSize: 'big' }],
    ['disks', { disks: [{ name: 'system', size: '1GiB' }] }],
    [
      'disks',
      {
        disks: [
          { name: 'data', size: '1GiB' },
          { name: 'data', size: '2GiB' },
        ],
      },
    ],
    ['disks', { disks: [{ name: 'Data', size: '1GiB' }] }],
    ['disks', { disks: [{ name: 'data', size: 'x' }] }],
    ['disks', { disks: 'data' }],
    ['network', { network: 'bridge' }],
    ['network', { network: 'none' }],
    ['ports', { ports: [{ name: 'web', guest: 0 }] }],
    ['ports', { ports: [{ name: 'web', guest: 70000 }] }],
    ['ports', { ports: [{ name: 'WEB', guest: 80 }] }],
    ['ports', { ports: [{ name: 'rdp', guest: 80 }] }],
    ['ports', { ports: [{ name: 'web', guest: 80, bind: 'localhost' }] }],
    ['ports', { ports: [{ name: 'web', guest: 80, hostPort: -1 }] }],
    ['ports', { ports: [{ name: 'web', guest: 80, protocol: 'sctp' }] }],
    ['rdp', { rdp: { enabled: 'yes' } }],
    ['console', { console: { auth: 'basic' } }],
    ['console', { console: { bind: '1.2.3' } }],
    ['console', { console: { hostPort: 0 } }],
    ['firmware', { firmware: 'efi' }],
    ['tpm', { tpm: true, firmware: 'bios' }],
    ['tpm', { tpm: 'yes' }],
    ['accelerator', { accelerator: 'hvf' }],
    ['snapshots', { snapshots: 1 }],
    ['guestAgent', { guestAgent: 'on' }],
    ['restartPolicy', { restartPolicy: 'maybe' }],
    ['powerState', { powerState: 'paused' }],
    ['autostart', { autostart: null }],
    ['readiness', { readiness: 'desktop' }],
    ['readiness', { readiness: 'agent', guestAgent: false }],
    ['timeouts', { timeouts: { createSeconds: 5 } }],
    ['timeouts', { timeouts: { createSeconds: 1.5 } }],
    ['timeouts', { timeouts: { shutdownSeconds: 100000 } }],
    ['timeouts', { timeouts: { deleteSeconds: 10 } }],
    ['retainStorageOnDelete', { retainStorageOnDelete: 'no' }],
    ['adopt', { adopt: {} }],
    ['adopt', { adopt: { container: 'a', volume: 'b' } }],
    ['gpu', { gpu: '' }],
    ['image', { image: '' }],
    ['labels', { labels: { 'Bad Key': 'x' } }],
    ['labels', { labels: { ok: 'x'.repeat(257) } }],
  ];

  it.each(corpus)('names %s for a bad value (%j)', (field, patch) => {
    const outcome = timed(() => checkWindowsVm({}, { ...baseVm, ...patch }));
    row.inputsTried++;
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expectNamedFailures(outcome.failures, field);
  });

  it('names an unknown input key', () => {
    const outcome = checkWindowsVm({}, { ...baseVm, cores: 4 });
    row.inputsTried++;
    expect(outcome).toMatchObject({ ok: false, failures: [{ reason: expect.stringContaining('"cores"') }] });
  });

  it('names the field for any invalid value of any single input (generated)', () => {
    const breakOne = fc.tuple(fc.constantFrom(...VM_FIELDS), junk).filter(([field, value]) => {
      const schema = windowsVmInputFields.shape[field as keyof typeof windowsVmInputFields.shape];
      return value !== undefined && !schema.safeParse(value).success;
    });
    fc.assert(
      fc.property(breakOne, ([field, value]) => {
        row.inputsTried++;
        const outcome = timed(() => checkWindowsVm({}, { ...baseVm, [field]: value }));
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expectNamedFailures(outcome.failures, field);
      }),
      { numRuns: 2500 },
    );
  });

  const validVm = fc.record(
    {
      name: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,40}$/),
      media: fc.constant(media),
      cpu: fc.integer({ min: 1, max: 256 }),
      memory: fc.oneof(
        fc.integer({ min: 128, max: 1 << 20 }),
        fc.integer({ min: 1, max: 512 }).map((g) => `${g}GiB`),
      ),
      systemDiskSize: fc.integer({ min: 64, max: 1 << 24 }),
      disks: fc.uniqueArray(
        fc.record({
          name: fc.stringMatching(/^data[0-9]{0,3}$/),
          size: fc.integer({ min: 64, max: 1 << 20 }),
        }),
        { selector: (d) => d.name, maxLength: 3 },
      ),
      ports: fc.uniqueArray(
        fc.record({
          name: fc.stringMatching(/^p[a-z0-9]{0,5}$/),
          guest: fc.integer({ min: 1, max: 65535 }),
          protocol: fc.constantFrom('tcp', 'udp'),
        }),
        { selector: (p) => p.name, maxLength: 3 },
      ),
      firmware: fc.constantFrom('uefi', 'uefi-secure'),
      tpm: fc.boolean(),
      accelerator: fc.constantFrom('auto', 'kvm', 'tcg'),
      powerState: fc.constantFrom('running', 'stopped'),
      restartPolicy: fc.constantFrom('apply', 'pending'),
      labels: fc.dictionary(fc.stringMatching(/^[a-z0-9.-]{1,8}$/), fc.string({ maxLength: 20 }), {
        maxKeys: 3,
      }),
    },
    { requiredKeys: ['name', 'media'] },
  );

  it('accepts every valid VM, normalized, least exposed by default, and stable on a second check', () => {
    fc.assert(
      fc.property(validVm, (vm) => {
        row.inputsTried++;
        const outcome = timed(() => checkWindowsVm({}, vm));
        if (!outcome.ok) throw new Error(JSON.stringify(outcome.failures));
        if ('unknown' in outcome) throw new Error('unexpected unknown');
        const inputs = outcome.inputs;
        expect(inputs.console).toMatchObject({ bind: '127.0.0.1', auth: 'token' });
        expect(inputs.rdp.bind).toBe('127.0.0.1');
        for (const port of inputs.ports) expect(port.bind).toBe('127.0.0.1');
        expect(inputs.memory).toBeGreaterThanOrEqual(128);
        // Checking the same VM again (the next preview) changes nothing and plans no change.
        const again = checkWindowsVm(inputs, vm);
        if (!again.ok || 'unknown' in again) throw new Error('second check failed');
        expect(again.plan?.ok && again.plan.changes).toEqual([]);
        expect({ ...again.inputs, changeImpact: '' }).toEqual({ ...inputs, changeImpact: '' });
      }),
      { numRuns: 800 },
    );
  });

  it('never throws for any object as new or old inputs, and fails only with named properties', () => {
    const anyInputs = fc.oneof(
      fc.dictionary(fc.constantFrom(...VM_FIELDS, 'cores', '__proto__', 'constructor'), junk, { maxKeys: 8 }),
      fc.object({ maxDepth: 3 }),
      validVm.chain((vm) =>
        fc
          .dictionary(fc.constantFrom(...VM_FIELDS), junk, { maxKeys: 2 })
          .map((patch) => ({ ...vm, ...patch })),
      ),
    );
    fc.assert(
      fc.property(fc.oneof(fc.constant({}), validVm, anyInputs), anyInputs, (olds, news) => {
        row.inputsTried++;
        const outcome = timed(() =>
          checkWindowsVm(olds as Record<string, unknown>, news as Record<string, unknown>),
        );
        if (!outcome.ok) {
          expect(outcome.failures.length).toBeGreaterThan(0);
          for (const f of outcome.failures) expect(['', ...VM_FIELDS]).toContain(f.property);
        } else if (!('unknown' in outcome)) {
          const normalized = inputsOf(outcome.inputs);
          expect(windowsVmInputs.safeParse(normalized).success).toBe(true);
          expect(outcome.inputs.changeImpact).toMatch(/^(create|none|live|restart|restore|replace)/);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses every disk shrink and lets every unknown through', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 65, max: 1 << 22 }),
        fc.integer({ min: 1, max: 1 << 20 }),
        (size, less) => {
          row.inputsTried++;
          const old = checkWindowsVm({}, { ...baseVm, systemDiskSize: size });
          if (!old.ok) throw new Error('unreachable');
          const smaller = Math.max(64, size - less);
          const next = checkWindowsVm(old.inputs, { ...baseVm, systemDiskSize: smaller });
          expect(next).toMatchObject({ ok: false, failures: [{ property: 'systemDiskSize' }] });
          expect(checkWindowsVm(old.inputs, { ...baseVm, systemDiskSize: UNKNOWN })).toMatchObject({
            ok: true,
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('WindowsSnapshot check', () => {
  const row = results.row('bad input', 'WindowsSnapshot check (corpus + generated)');
  afterAll(() => {
    if (row.inputsTried > 0) row.pass();
  });
  const base = {
    vm: '3f1c2b9e-0000-4000-8000-000000000001',
    containerName: 'windock-vm-1',
    name: 'before-update',
  };
  const FIELDS = Object.keys(windowsSnapshotInputs.shape);
  const check = (news: Record<string, unknown>) =>
    windowsSnapshotProvider.check!({}, news) as Promise<{ inputs: unknown; failures?: Failures }>;

  it.each([
    ['name', { name: 'bad name!' }],
    ['name', { name: '' }],
    ['name', { name: 'x'.repeat(64) }],
    ['host', { host: '../h' }],
    ['memory', { memory: 'yes' }],
    ['description', { description: 'x'.repeat(1025) }],
    ['containerName', { containerName: 'bad name!' }],
    ['containerName', { containerName: '' }],
    ['vm', { vm: '' }],
    ['vm', { vm: 42 }],
  ] as Array<[string, Record<string, unknown>]>)('names %s for a bad value (%j)', async (field, patch) => {
    row.inputsTried++;
    const out = await check({ ...base, ...patch });
    expectNamedFailures(out.failures ?? [], field);
  });

  it('names the field for any invalid value of any single input (generated), and never throws', async () => {
    const breakOne = fc.tuple(fc.constantFrom(...FIELDS), junk).filter(([field, value]) => {
      const schema = windowsSnapshotInputs.shape[field as keyof typeof windowsSnapshotInputs.shape];
      return value !== undefined && !schema.safeParse(value).success;
    });
    await fc.assert(
      fc.asyncProperty(breakOne, async ([field, value]) => {
        row.inputsTried++;
        const out = await check({ ...base, [field]: value });
        expectNamedFailures(out.failures ?? [], field);
      }),
      { numRuns: 1000 },
    );
    await fc.assert(
      fc.asyncProperty(fc.object({ maxDepth: 2 }), async (news) => {
        row.inputsTried++;
        const out = await check(news);
        for (const f of out.failures ?? []) expect(['', ...FIELDS]).toContain(f.property);
      }),
      { numRuns: 500 },
    );
  });

  it('lets the unknown VM of a preview through', async () => {
    row.inputsTried++;
    const out = await check({ ...base, vm: UNKNOWN, containerName: UNKNOWN });
    expect(out.failures ?? []).toEqual([]);
  });

  it("names the host, and the fix, when the VM's container is not on the snapshot's host", async () => {
    row.inputsTried++;
    // The README's first snapshot example had no host: for a VM on another host, the create
    // looked on "local" and blamed the VM's identity.
    const inputs = { ...base, containerName: `windock-${uniqueName('wdk-elsewhere')}` };
    await expect(windowsSnapshotProvider.create!(inputs)).rejects.toThrow(
      /^host: there is no container windock-wdk-elsewhere\S* on host "local": a snapshot's host must be its VM's host; pass the WindowsVm itself \(`vm: theVm`/,
    );
  });
});

describe('GpuAssignment check', () => {
  const row = results.row('bad input', 'GpuAssignment check (corpus + generated)');
  afterAll(() => {
    if (row.inputsTried > 0) row.pass();
  });
  const base = { name: 'gpu', vm: 'vm-1', select: { index: 0 } };
  const FIELDS = Object.keys(gpuAssignmentInputs.shape);

  it.each([
    ['vm', { vm: 'Bad VM' }],
    ['select', { select: {} }],
    ['select', { select: { index: 0, pciAddress: '0000:01:00.0' } }],
    ['select', { select: { index: 64 } }],
    ['select', { select: { uuid: 'not-a-uuid' } }],
    ['virtualFunction', { virtualFunction: -1 }],
    ['mdevType', { mdevType: 'a;b' }],
    ['mdevUuid', { mdevUuid: 'x' }],
    ['mdevUuid', { mdevUuid: '3f1c2b9e-0000-4000-8000-000000000001' }],
    ['romFile', { romFile: 'relative.rom' }],
    ['romFile', { romFile: '/a,b.rom' }],
    ['romFile', { romFile: '/x.rom', mdevType: 'nvidia-63' }],
    ['bindVfio', { bindVfio: 'true' }],
    ['labels', { labels: { 'A B': 'x' } }],
  ] as Array<[string, Record<string, unknown>]>)('names %s for a bad value (%j)', (field, patch) => {
    row.inputsTried++;
    const out = timed(() => checkGpuAssignment({}, { ...base, ...patch }));
    expect(out.ok).toBe(false);
    if (!out.ok) expectNamedFailures(out.failures, field);
  });

  it('names the field for any invalid value of any single input (generated), and never throws', () => {
    const breakOne = fc.tuple(fc.constantFrom(...FIELDS), junk).filter(([field, value]) => {
      const schema = gpuAssignmentInputs.shape[field as keyof typeof gpuAssignmentInputs.shape];
      return value !== undefined && !schema.safeParse(value).success;
    });
    fc.assert(
      fc.property(breakOne, ([field, value]) => {
        row.inputsTried++;
        const out = timed(() => checkGpuAssignment({}, { ...base, [field]: value }));
        expect(out.ok).toBe(false);
        if (!out.ok) expectNamedFailures(out.failures, field);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.object({ maxDepth: 2 }), fc.object({ maxDepth: 2 }), (olds, news) => {
        row.inputsTried++;
        const out = timed(() => checkGpuAssignment(olds, news));
        if (!out.ok) for (const f of out.failures) expect(['', ...FIELDS]).toContain(f.property);
      }),
      { numRuns: 500 },
    );
  });
});

/** A few bad inputs through the real engine: the preview and the update fail naming the field; nothing is made. */
describe('bad input through the real Pulumi engine', () => {
  const docker = localDocker();
  const rig = new PulumiRig(
    'reliability-input',
    'test',
    join(__dirname, '..', 'pulumi', 'programs', 'reliability.js'),
  );
  const vmName = uniqueName('wdk-bad');
  const row = results.row('bad input', 'through the engine: preview + up refused, nothing made');
  afterAll(() => rig.dispose());

  const cases: Array<{ field: string; config: Record<string, unknown>; pattern: RegExp }> = [
    {
      field: 'memory',
      config: { vms: [{ args: { name: vmName, media, memory: 'lots', accelerator: 'tcg' } }] },
      pattern: /memory: "lots" is not a size/,
    },
    {
      field: 'ports',
      config: { vms: [{ args: { name: vmName, media, ports: [{ name: 'web', guest: 99999 }] } }] },
      pattern: /ports\.0\.guest/,
    },
    {
      field: 'name (snapshot)',
      config: { snapshots: [{ args: { vm: 'x', containerName: 'windock-x', name: 'bad name!' } }] },
      pattern: /name: use letters, digits/,
    },
    {
      field: 'select (gpu)',
      config: { gpus: [{ args: { vm: 'vm-1', select: { index: 99 } } }] },
      pattern: /select/,
    },
  ];

  it('fails each preview naming the field, and an up makes nothing', async () => {
    const before = await countWindock(docker);
    for (const c of cases.filter((c) => c.field !== 'ports')) {
      row.inputsTried++;
      const preview = rig.run('preview', { vms: [], snapshots: [], gpus: [], ...c.config });
      expect(preview.status).not.toBe(0);
      expect(preview.output).toMatch(c.pattern);
      expect(preview.output).not.toMatch(/TypeError|ReferenceError|at Object\.<anonymous>|panic:/);
    }
    // One up with all of them at once: refused, nothing made, nothing in state.
    row.inputsTried++;
    const all = {
      vms: (cases[0]!.config.vms as unknown[]).concat(cases[1]!.config.vms as unknown[]).map((v, i) => ({
        resourceName: `bad-${i}`,
        args: { ...(v as { args: object }).args, name: `${vmName}-${i}` },
      })),
      snapshots: cases[2]!.config.snapshots,
      gpus: cases[3]!.config.gpus,
    };
    const up = rig.run('up', all);
    expect(up.status).not.toBe(0);
    expect(up.output).toMatch(/memory: "lots" is not a size|ports\.0\.guest|name: use letters|select/);
    const after = await countWindock(docker, vmName);
    row.containersLeaked = after.containers;
    row.volumesLeaked = Math.max(0, after.volumes - before.volumes);
    expect(after.containers).toBe(0);
    expect(after.volumes).toBeLessThanOrEqual(before.volumes);
    let state = '';
    try {
      state = rig.stateText();
    } catch {
      // no checkpoint at all: nothing recorded
    }
    expect(state).not.toMatch(/windock:(WindowsVm|WindowsSnapshot|GpuAssignment)/);
    row.pass();
  });
});

async function countWindock(
  docker: ReturnType<typeof localDocker>,
  namePart = 'wdk-bad',
): Promise<{ containers: number; volumes: number }> {
  const containers = (await docker.listContainers({ all: true })).filter((c) =>
    c.Names.some((n) => n.includes(namePart)),
  ).length;
  const volumes = ((await docker.listVolumes()).Volumes ?? []).filter((v) =>
    v.Name.includes(namePart),
  ).length;
  return { containers, volumes };
}
