// "Stuck", conservatively: for the whole window the status did not change (phase, progress,
// install step, guest flags), the console printed nothing, and QEMU used under 1 % of one CPU.
// Windows Setup is slow (~30 min, reboots) but never idle that long: it copies, expands and
// reboots, each of which costs CPU. A guest halted at a firmware prompt or a dead boot is idle.
import type { VmStatus } from '../../contract';
import type { GuestActivity } from './guest-activity';

export const STUCK_AFTER_MS = 10 * 60_000;
/** The most CPU (share of one core) a stuck guest's QEMU uses: timers, an idle loop. */
export const STUCK_CPU_SHARE = 0.01;

/** What counts as progress in the status (its timestamp does not: it changes on any write). */
export function statusSignature(status: VmStatus | undefined): string {
  if (!status) return 'none';
  const { phase, progress, install, guest, download } = status;
  return JSON.stringify({ phase, progress, install: install?.step, guest, download: download?.bytes });
}

interface Sample {
  at: number;
  signature: string;
  consoleBytes: number;
  cpuSeconds?: number;
}

/** Fed a sample per read; returns the reason once nothing moved for `windowMs`. */
export function stuckWatch(windowMs = STUCK_AFTER_MS, cpuShare = STUCK_CPU_SHARE) {
  let since: Sample | undefined;
  return (at: number, status: VmStatus | undefined, activity: GuestActivity): string | undefined => {
    const sample = { at, signature: statusSignature(status), ...activity };
    // Without CPU figures nothing proves the guest idle: never call it stuck.
    if (sample.cpuSeconds === undefined) {
      since = undefined;
      return undefined;
    }
    const busy =
      since !== undefined &&
      since.cpuSeconds !== undefined &&
      sample.cpuSeconds - since.cpuSeconds > (cpuShare * (at - since.at)) / 1000;
    if (
      !since ||
      busy ||
      sample.signature !== since.signature ||
      sample.consoleBytes !== since.consoleBytes
    ) {
      since = sample;
      return undefined;
    }
    if (at - since.at < windowMs) return undefined;
    const used = (sample.cpuSeconds - since.cpuSeconds!).toFixed(1);
    return `the boot looks stuck: for ${Math.round((at - since.at) / 60_000)} min the status stayed "${status?.phase ?? 'unknown'}", the console printed nothing and QEMU used ${used} s of CPU`;
  };
}
