import { EventEmitter } from 'node:events';
import { keyPressTimes, pressKeysDuringBoot, sendKeyCommand } from './boot-keys';

describe('"press any key" avoidance', () => {
  test('the schedule and the QMP command', () => {
    expect(keyPressTimes({ windowMs: 3000, intervalMs: 1000, key: 'ret' })).toEqual([0, 1000, 2000]);
    expect(sendKeyCommand('ret')).toEqual({
      command: 'send-key',
      arguments: { keys: [{ type: 'qcode', data: 'ret' }] },
    });
  });

  // A recording monitor stands in for QEMU's QMP (the real send-key is exercised by the image).
  test('presses during the window and stops at the first guest reset (recording stand-in for QMP)', async () => {
    const sent: unknown[] = [];
    const events = new EventEmitter();
    const monitor = {
      execute: async (command: string, args?: Record<string, unknown>) => {
        sent.push({ command, args });
        return {};
      },
      events: {
        on: (name: string, listener: () => void) => {
          events.on(name, listener);
          return () => events.off(name, listener);
        },
        off: (name: string, listener: () => void) => events.off(name, listener),
      },
    };
    const presses = pressKeysDuringBoot(monitor as never, { windowMs: 10_000, intervalMs: 20, key: 'spc' });
    await new Promise((resolve) => setTimeout(resolve, 90));
    events.emit('RESET');
    const count = await presses.done;
    expect(count).toBeGreaterThanOrEqual(3);
    expect(count).toBeLessThan(10);
    const after = sent.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sent.length).toBe(after);
    expect(sent[0]).toEqual({ command: 'send-key', args: { keys: [{ type: 'qcode', data: 'spc' }] } });
  });
});
