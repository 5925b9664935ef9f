import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../exit-codes';
import { StatusFile } from '../status';
import { Supervisor } from './supervisor';

describe('a stop request before QEMU runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'windock-supervisor-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops at once: nothing to shut down', () => {
    const status = new StatusFile(join(dir, 'status.json'));
    const lines: string[] = [];
    const exit = jest.fn((code: number) => {
      throw new Error(`exit ${code}`);
    });
    const supervisor = new Supervisor(status, (line) => lines.push(line), exit as never);
    expect(() => supervisor.requestStop('SIGTERM')).toThrow(`exit ${EXIT.OK}`);
    expect(lines).toEqual(['SIGTERM before QEMU started: stopping']);
    expect(StatusFile.read(join(dir, 'status.json')).phase).toBe('stopped');
  });
});
