import type { VmStatus } from '../../contract';
import { downloadProgressLogger } from './progress-log';

const status = (mediaKey: string, bytes: number, totalBytes = 100): VmStatus => ({
  phase: 'downloading',
  download: { mediaKey, bytes, totalBytes, source: 'http://mirror.example/x.iso' },
  warnings: [],
  guest: { agent: false, beacon: false },
  updatedAt: '2026-01-01T00:00:00Z',
});

describe('downloadProgressLogger', () => {
  it('writes a line per 5 percent, and starts again at 0 for the next media (the drivers ISO)', () => {
    const lines: string[] = [];
    const log = downloadProgressLogger(
      'vm-a',
      (line) => lines.push(line),
      () => 1000,
    );
    for (const bytes of [0, 2, 5, 6, 11, 100]) log(status('windows-11-en-us', bytes));
    for (const bytes of [0, 50]) log(status('virtio-win-0.1.285', bytes));
    log({ ...status('x', 1), phase: 'running' });
    expect(lines.map((l) => l.replace(/^.*\((\d+)%\)$/, '$1'))).toEqual(['0', '5', '11', '100', '0', '50']);
    expect(lines[0]).toBe(
      'windock: VM "vm-a": downloading windows-11-en-us from http://mirror.example/x.iso: 0.0 MiB of 0.0 MiB (0%)',
    );
    expect(lines[4]).toContain('virtio-win-0.1.285');
    const big = downloadProgressLogger('vm-b', (line) => lines.push(line));
    big(status('windows-11-en-us', 3 * 1024 ** 3, 6 * 1024 ** 3));
    expect(lines.at(-1)).toMatch(/: 3\.00 GiB of 6\.00 GiB \(50%\)$/);
  });
});
