import { consoleBlock, consoleLines } from './console-tail';
import { cpuSecondsOf, parseGuestActivity } from './guest-activity';

describe('console tail', () => {
  it('keeps the last non-empty lines without escapes or control characters', () => {
    const raw = '\x1b[2J\x1b[Hline 1\r\n\r\nline\x07 2\rline 3\n\x1b[1;31mred\x1b[0m\n';
    expect(consoleLines(raw)).toEqual(['line 1', 'line 2', 'line 3', 'red']);
    expect(consoleLines(raw, 2)).toEqual(['line 3', 'red']);
  });

  it("keeps a panic's headline when its stack trace fills the window", () => {
    const trace = Array.from({ length: 30 }, (_, i) => `[ 23.9] frame ${i}`);
    const raw = ['boot', '[ 23.8] Kernel panic - not syncing: sysrq triggered crash', ...trace].join('\n');
    const lines = consoleLines(raw, 20);
    expect(lines).toHaveLength(20);
    expect(lines.slice(0, 3)).toEqual([
      '[ 23.8] Kernel panic - not syncing: sysrq triggered crash',
      '...',
      '[ 23.9] frame 12',
    ]);
    expect(lines.at(-1)).toBe('[ 23.9] frame 29');
  });

  it('drops the partial first line of a truncated chunk', () => {
    expect(consoleLines('tial line\nwhole\n', 20, true)).toEqual(['whole']);
  });

  it('shows the lines indented, or says where to look when there are none', () => {
    expect(consoleBlock(['a', 'b'])).toBe('Last lines of the guest console (serial port):\n  | a\n  | b');
    expect(consoleBlock([])).toMatch(/printed nothing: look at the screen \(consoleUrl\)/);
  });
});

describe('guest activity', () => {
  it("reads QEMU's CPU time from /proc/PID/stat, even with spaces in its name", () => {
    const stat = '42 (qemu-b 1) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 4 0 100';
    expect(cpuSecondsOf(stat)).toBe(3);
  });

  it('parses the size, the stat line and the tail', () => {
    const stat = '42 (qemu-b1) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 4 0 100';
    const activity = parseGuestActivity(`120\n${stat}\n\n--windock-console--\nboot\nKernel panic\n`);
    expect(activity).toEqual({ consoleBytes: 120, consoleTail: ['boot', 'Kernel panic'], cpuSeconds: 3 });
    expect(parseGuestActivity('0\n\n--windock-console--\n')).toEqual({
      consoleBytes: 0,
      consoleTail: [],
      cpuSeconds: undefined,
    });
  });
});
