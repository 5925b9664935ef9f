import { progressThrottle, sizeText } from './throttle';

describe('progressThrottle', () => {
  it('is due every 5 %, and every 30 s when the total is unknown or the transfer stalls', () => {
    let t = 0;
    const throttle = progressThrottle(() => t);
    expect([0, 2, 5, 7, 10].map((p) => throttle.due(p))).toEqual([true, false, true, false, true]);
    t = 29_000;
    expect(throttle.due(11)).toBe(false);
    t = 41_000;
    expect(throttle.due(11)).toBe(true);
    expect(throttle.due(undefined)).toBe(false);
    t = 72_000;
    expect(throttle.due(undefined)).toBe(true);
  });

  it('starts over from 0 % after a reset', () => {
    const throttle = progressThrottle(() => 0);
    expect(throttle.due(50)).toBe(true);
    expect(throttle.due(1)).toBe(false);
    throttle.reset();
    expect(throttle.due(1)).toBe(true);
  });

  it('writes sizes in MiB below a GiB and in GiB above', () => {
    expect(sizeText(3.5 * 1024 ** 2)).toBe('3.5 MiB');
    expect(sizeText(4.87 * 1024 ** 3)).toBe('4.87 GiB');
  });
});
