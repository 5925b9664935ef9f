import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { QmpClient } from '../../lib/qmp/qmp-client';

export interface GracefulStopOptions {
  deadlineSeconds: number;
  intervalSeconds: number;
  log: (line: string) => void;
}

/**
 * SIGTERM becomes the ACPI power button, pressed again every interval (Windows ignores a press
 * while busy) until the guest powers off or the deadline passes; then QEMU is told to quit,
 * and killed only if it will not. Returns whether the guest shut down by itself.
 */
export async function stopGracefully(
  qemu: ChildProcess,
  monitor: QmpClient | undefined,
  options: GracefulStopOptions,
): Promise<'guest' | 'forced'> {
  const exited = new Promise<void>((resolve) => {
    if (qemu.exitCode !== null || qemu.signalCode !== null) resolve();
    else qemu.once('exit', () => resolve());
  });
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + options.deadlineSeconds * 1000;
  let presses = 0;
  while (!done && Date.now() < deadline) {
    if (monitor) {
      presses += 1;
      await monitor.execute('system_powerdown').catch(() => undefined);
    }
    await Promise.race([
      exited,
      sleep(Math.min(options.intervalSeconds * 1000, Math.max(0, deadline - Date.now()))),
    ]);
  }
  if (done) {
    options.log(`guest powered off after ${presses} ACPI power-button press(es)`);
    return 'guest';
  }
  options.log(`guest did not power off within ${options.deadlineSeconds} s: telling QEMU to quit`);
  await monitor?.quit().catch(() => undefined);
  await Promise.race([exited, sleep(5000)]);
  if (!done) {
    qemu.kill('SIGKILL');
    await exited;
  }
  return 'forced';
}
