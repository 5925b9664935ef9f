import { timeoutMessage } from './timeout-message';

describe('readiness timeout message', () => {
  it('names the input that sets the limit and how to change it', () => {
    expect(timeoutMessage('beacon', 1_800_000, 'installing', 'timeouts.createSeconds')).toBe(
      'did not reach readiness "beacon" within 1800 s (phase: installing). The limit is the input ' +
        'timeouts.createSeconds (1800 s): raise it, e.g. timeouts: { createSeconds: 3600 }, or wait for less with readiness: "qemu"',
    );
  });

  it('says only the limit where no input sets it (internal waits)', () => {
    expect(timeoutMessage('agent', 300_000, 'running')).toBe(
      'did not reach readiness "agent" within 300 s (phase: running)',
    );
  });
});
