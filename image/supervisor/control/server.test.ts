import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { answer, startControlServer, type ControlHandler } from './server';

const handler: ControlHandler = async (request) => {
  if (request.command === 'record-status') return { ok: true, active: null };
  if (request.command === 'record-stop') throw new Error('no recording is running');
  return { ok: true, files: [] };
};

describe('control channel', () => {
  it('answers malformed and unknown requests with ok:false and the commands it knows', async () => {
    expect(await answer('not json', handler)).toEqual({
      ok: false,
      error: 'the request is not JSON: send one JSON object per line',
    });
    const unknown = await answer('{"command":"reboot"}', handler);
    expect(unknown.ok).toBe(false);
    expect(JSON.stringify(unknown)).toMatch(/record-start, record-stop, record-status, record-list/);
    const badName = await answer('{"command":"record-start","name":"../etc"}', handler);
    expect(JSON.stringify(badName)).toMatch(/name: letters, digits/);
    expect(await answer('{"command":"record-start","fps":3}', handler)).toMatchObject({ ok: false });
  });

  it('turns a failing command into ok:false with its message', async () => {
    expect(await answer('{"command":"record-stop"}', handler)).toEqual({
      ok: false,
      error: 'no recording is running',
    });
  });

  it('serves one JSON line per request, in order, on a unix socket only its owner can open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'windock-control-'));
    const path = join(dir, 'control.sock');
    const server = startControlServer(path, handler, () => undefined);
    try {
      await once(server, 'listening');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const socket = connect(path);
      const lines = createInterface({ input: socket });
      const answers: unknown[] = [];
      lines.on('line', (line) => answers.push(JSON.parse(line)));
      socket.write('{"command":"record-status"}\n{"command":"record-stop"}\n{"command":"record-list"}\n');
      for (let i = 0; i < 50 && answers.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
      socket.destroy();
      expect(answers).toEqual([
        { ok: true, active: null },
        { ok: false, error: 'no recording is running' },
        { ok: true, files: [] },
      ]);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
