import { firefoxVersion, userAgent } from './user-agent';

describe('User-Agent', () => {
  it('follows the date: a current Firefox, never one frozen release', () => {
    expect(firefoxVersion(new Date('2026-06-16T00:00:00Z'))).toBe(152);
    // dockur's link check (August 2026) sends Firefox 154.
    expect(firefoxVersion(new Date('2026-08-22T00:00:00Z'))).toBe(154);
    expect(firefoxVersion(new Date('2027-06-16T00:00:00Z'))).toBe(165);
    expect(userAgent(new Date('2026-12-03T00:00:00Z'))).toBe(
      'Mozilla/5.0 (X11; Linux x86_64; rv:158.0) Gecko/20100101 Firefox/158.0',
    );
    expect(userAgent()).toBe(userAgent(new Date()));
  });
});
