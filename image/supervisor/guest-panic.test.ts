import { panicDetail, panickedStatus } from './guest-panic';

const event = (data: Record<string, unknown>) => ({
  event: 'GUEST_PANICKED',
  data,
  timestamp: { seconds: 0, microseconds: 0 },
  seq: 1,
});

describe('guest panic status', () => {
  it('fails the status at step guest-panic, saying the guest is paused for inspection', () => {
    const change = panickedStatus(event({ action: 'pause' }));
    expect(change.phase).toBe('failed');
    expect(change.panic).toMatchObject({ action: 'pause' });
    expect(change.error?.step).toBe('guest-panic');
    expect(change.error?.message).toMatch(/panicked; QEMU paused for inspection/);
  });

  it("names Windows' bug check from the Hyper-V crash parameters", () => {
    const info = { type: 'hyper-v', arg1: 0xef, arg2: 1, arg3: 0, arg4: 0, arg5: 0 };
    expect(panicDetail({ action: 'pause', info })).toBe('bug check 0xef (0x1, 0x0, 0x0, 0x0)');
    expect(panickedStatus(event({ action: 'pause', info })).error?.message).toContain('bug check 0xef');
  });

  it('has no detail when the guest gave none (Linux pvpanic)', () => {
    expect(panicDetail({ action: 'pause' })).toBeUndefined();
  });
});
