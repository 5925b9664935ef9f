import { liveHandlers, planImpact } from './impact';
import { windowsVmInputs, type WindowsVmInputs } from './inputs';
import { grownDisks } from './live-changes';

const base = (overrides: Record<string, unknown> = {}): WindowsVmInputs =>
  windowsVmInputs.parse({
    name: 'build-01',
    media: { kind: 'disk-image', file: '/images/win11.qcow2', format: 'qcow2' },
    ...overrides,
  });

const handlersOf = (before: WindowsVmInputs, after: WindowsVmInputs) => {
  const plan = planImpact(before, after);
  if (!plan.ok) throw new Error(plan.message);
  return liveHandlers(plan).map((handler) => handler.name);
};

describe('live handlers of a plan', () => {
  it('runs each handler once, however many of its fields changed', () => {
    const before = base({ systemDiskSize: '64GiB', disks: [{ name: 'data', size: '10GiB' }] });
    const after = base({ systemDiskSize: '80GiB', disks: [{ name: 'data', size: '20GiB' }] });
    expect(handlersOf(before, after)).toEqual(['growDisks']);
  });

  it("applies the VM's power last, after the changes it runs with", () => {
    const before = base();
    const after = base({ powerState: 'stopped', autostart: !before.autostart, recording: { onStart: true } });
    expect(handlersOf(before, after)).toEqual(['changeRecording', 'changeAutostart', 'changePowerState']);
  });

  it('has no handler for state-only changes', () => {
    expect(handlersOf(base(), base({ labels: { team: 'qa' } }))).toEqual([]);
  });

  it('grows the system disk and the grown data disks by their block nodes', () => {
    const before = base({ systemDiskSize: '64GiB', disks: [{ name: 'data', size: '10GiB' }] });
    const after = base({ systemDiskSize: '80GiB', disks: [{ name: 'data', size: '10GiB' }] });
    expect(grownDisks(before, after)).toEqual([{ node: expect.any(String), bytes: 80 * 1024 ** 3 }]);
  });
});
