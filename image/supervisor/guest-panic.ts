import type { QmpClient } from '../../lib/qmp/qmp-client';
import type { QmpEvent } from '../../lib/qmp/types';
import { EXIT } from './exit-codes';
import type { StatusFile } from './status';

/** What the guest said about its panic: Windows' bug check comes as Hyper-V crash parameters. */
export function panicDetail(data: Record<string, unknown>): string | undefined {
  const info = data.info as Record<string, unknown> | undefined;
  if (!info || typeof info.type !== 'string') return undefined;
  if (info.type === 'hyper-v') {
    const hex = (value: unknown) => `0x${Number(value ?? 0).toString(16)}`;
    return `bug check ${hex(info.arg1)} (${[info.arg2, info.arg3, info.arg4, info.arg5].map(hex).join(', ')})`;
  }
  return JSON.stringify(info);
}

/** The status while the guest is panicked: "failed" at step guest-panic, with what QEMU said. */
export function panickedStatus(event: QmpEvent): Parameters<StatusFile['update']>[0] {
  const action = String(event.data.action ?? 'unknown');
  const detail = panicDetail(event.data);
  const kept = action === 'pause' ? 'paused for inspection (its screen and memory stay as they are)' : action;
  return {
    phase: 'failed',
    panic: { at: new Date().toISOString(), action, ...(detail ? { detail } : {}) },
    error: {
      step: 'guest-panic',
      message: `the guest panicked${detail ? `: ${detail}` : ''}; QEMU ${kept}. Restart the VM (or QMP system_reset, then cont) to boot it again`,
      exitCode: EXIT.QEMU_FAILED,
    },
  };
}

/**
 * Reports a guest panic (pvpanic -> GUEST_PANICKED) in the status, and clears it when the guest
 * runs again: the provider's wait then fails at once instead of waiting out its timeout.
 */
export function watchGuestPanic(monitor: QmpClient, status: StatusFile, log: (line: string) => void): void {
  monitor.events.on('GUEST_PANICKED', (event) => {
    const change = panickedStatus(event);
    status.update(change);
    log(`GUEST PANICKED: ${change.error!.message}`);
  });
  // After a panic QEMU runs the guest again only after system_reset and cont: RESUME.
  monitor.events.on('RESUME', () => {
    if (!status.current.panic) return;
    status.update({ phase: 'running', panic: undefined, error: undefined });
    log('the panicked guest was reset and runs again');
  });
}
