import type { VmStatus } from '../../contract';
import { stuckWatch } from './stuck';

const status = (phase: VmStatus['phase'], progress?: number): VmStatus => ({
  phase,
  progress,
  warnings: [],
  guest: { agent: false, beacon: false },
  updatedAt: new Date().toISOString(), // changes on every write: must not count as progress
});
const MIN = 60_000;

/** Samples every 30 s for `minutes`; returns the first stuck reason and when it came. */
function run(minutes: number, sample: (t: number) => { s: VmStatus; bytes: number; cpu?: number }) {
  const watch = stuckWatch(10 * MIN);
  for (let t = 0; t <= minutes * MIN; t += 30_000) {
    const { s, bytes, cpu } = sample(t);
    const reason = watch(t, s, { consoleBytes: bytes, consoleTail: [], cpuSeconds: cpu });
    if (reason) return { reason, at: t };
  }
  return undefined;
}

describe('stuck boot detection (fake clock)', () => {
  it('calls an idle guest stuck after 10 min: same status, no console, under 1 % CPU', () => {
    const stuck = run(30, (t) => ({ s: status('running'), bytes: 100, cpu: t / 1000 / 500 }));
    expect(stuck?.at).toBe(10 * MIN);
    expect(stuck?.reason).toMatch(/stuck: for 10 min the status stayed "running"/);
  });

  it('never calls a busy Windows Setup stuck (CPU, no console, same status for 2 h)', () => {
    expect(run(120, (t) => ({ s: status('installing'), bytes: 0, cpu: t / 1000 / 10 }))).toBeUndefined();
  });

  it('restarts the window on console output or a status change', () => {
    // Idle, but the console prints every 9 min.
    expect(
      run(60, (t) => ({ s: status('running'), bytes: Math.floor(t / (9 * MIN)), cpu: 1 })),
    ).toBeUndefined();
    // Idle, but the install progress moves every 9 min.
    expect(
      run(60, (t) => ({ s: status('installing', Math.floor(t / (9 * MIN))), bytes: 0, cpu: 1 })),
    ).toBeUndefined();
  });

  it('never calls a guest stuck without CPU figures', () => {
    expect(run(60, () => ({ s: status('running'), bytes: 0 }))).toBeUndefined();
  });
});
