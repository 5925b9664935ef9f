import { stopAction, type LifecyclePhase } from './phases';

describe('what a stop request does in each phase', () => {
  it.each<[LifecyclePhase, ReturnType<typeof stopAction>]>([
    ['spec', 'exit'],
    ['host-checks', 'exit'],
    ['install-media', 'exit'],
    ['storage', 'exit'],
    ['firmware', 'exit'],
    ['install', 'exit'],
    ['network', 'exit'],
    ['qemu-start', 'defer'],
    ['restore', 'defer'],
    ['running', 'shut-down'],
    ['stopping', 'ignore'],
  ])('%s: %s', (phase, action) => {
    expect(stopAction(phase)).toBe(action);
  });
});
