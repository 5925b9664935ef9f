// An unmodified Windows ISO under UEFI waits for "Press any key to boot from CD or DVD" and
// falls through to the (empty) disk after a few seconds. The supervisor presses a key for the
// guest, over QMP, during the first seconds of the first boot of an install only: after Setup's
// first reboot nobody presses, so the firmware boots the installed disk.
import type { QmpClient } from '../../../lib/qmp/qmp-client';

export interface KeyPressPlan {
  /** How long after QEMU starts keys are pressed. */
  windowMs: number;
  intervalMs: number;
  /** QEMU key code (QKeyCode) pressed each time. */
  key: string;
}

/** Long enough for OVMF (under TCG too) to reach the CD's prompt, short of Setup's own UI. */
export const DEFAULT_KEY_PRESSES: KeyPressPlan = { windowMs: 20_000, intervalMs: 1_000, key: 'ret' };

/** The times (ms after start) a key is pressed. Pure. */
export function keyPressTimes(plan: KeyPressPlan): number[] {
  const times: number[] = [];
  for (let t = 0; t < plan.windowMs; t += plan.intervalMs) times.push(t);
  return times;
}

/** The QMP command of one key press. Pure. */
export function sendKeyCommand(key: string): {
  command: 'send-key';
  arguments: { keys: Array<{ type: 'qcode'; data: string }> };
} {
  return { command: 'send-key', arguments: { keys: [{ type: 'qcode', data: key }] } };
}

/**
 * Presses the key on the plan's schedule until the window ends or the guest resets (Setup's
 * reboot). Resolves with how many presses were sent.
 */
export function pressKeysDuringBoot(
  monitor: Pick<QmpClient, 'execute' | 'events'>,
  plan: KeyPressPlan = DEFAULT_KEY_PRESSES,
  log: (line: string) => void = () => undefined,
): { done: Promise<number>; stop: () => void } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let sent = 0;
  let finish: (n: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));
  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer);
    monitor.events.off('RESET', stop);
    finish(sent);
  };
  monitor.events.on('RESET', stop);
  const started = Date.now();
  const tick = () => {
    if (stopped) return;
    if (Date.now() - started >= plan.windowMs) return stop();
    const { command, arguments: args } = sendKeyCommand(plan.key);
    monitor.execute(command, args).then(
      () => (sent += 1),
      (error: Error) => log(`send-key failed: ${error.message}`),
    );
    timer = setTimeout(tick, plan.intervalMs);
  };
  tick();
  return { done, stop };
}
