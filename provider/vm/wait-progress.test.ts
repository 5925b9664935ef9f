import type { VmStatus } from '../../contract';
import { elapsedText, waitProgress } from './wait-progress';

const status = (phase: VmStatus['phase'], extra: Partial<VmStatus> = {}): VmStatus => ({
  phase,
  warnings: [],
  guest: { agent: false, beacon: false },
  updatedAt: '2026-01-01T00:00:00Z',
  ...extra,
});

function rig() {
  let clock = 1_000_000;
  const lines: string[] = [];
  const progress = waitProgress({
    vmName: 'b1',
    level: 'beacon',
    now: () => clock,
    write: (l) => lines.push(l),
  });
  /** Polls every 0.5 s for `ms`, reporting when due (what waitForReadiness does). */
  const poll = (ms: number, s: VmStatus | undefined, console?: string) => {
    for (let t = 0; t < ms; t += 500) {
      clock += 500;
      if (progress.due()) progress.report(s, console);
    }
  };
  return { lines, poll };
}

describe('wait progress lines (fake clock)', () => {
  it('writes no line for a wait shorter than the interval', () => {
    const { lines, poll } = rig();
    poll(29_000, status('booting'));
    expect(lines).toEqual([]);
  });

  it('writes a line at least every 30 s with the VM, phase, elapsed time and console line', () => {
    const { lines, poll } = rig();
    poll(125_000, status('installing', { install: { step: 'setup' } }), 'Loading Windows files');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      'windock: VM "b1": waiting for readiness "beacon", phase installing, Windows Setup running, 30s elapsed; console: Loading Windows files',
    );
    expect(lines[3]).toContain('2m00s elapsed');
  });

  it('says when the console printed nothing and when no status exists yet', () => {
    const { lines, poll } = rig();
    poll(30_000, undefined);
    expect(lines[0]).toContain('phase starting');
    expect(lines[0]).toContain('console: (no output yet)');
  });

  it('leaves downloads to their own lines', () => {
    const { lines, poll } = rig();
    poll(90_000, status('downloading'));
    expect(lines).toEqual([]);
  });

  it('shortens a very long console line', () => {
    const { lines, poll } = rig();
    poll(30_000, status('booting'), 'x'.repeat(500));
    expect(lines[0]!.endsWith(`${'x'.repeat(160)}...`)).toBe(true);
  });

  it('formats elapsed time', () => {
    expect(elapsedText(45_900)).toBe('45s');
    expect(elapsedText(185_000)).toBe('3m05s');
    expect(elapsedText(3_720_000)).toBe('1h02m');
  });
});
