// Samples the memory of a process tree from /proc while it runs (Linux only).
import { readdirSync, readFileSync } from 'node:fs';

export interface TreeMemory {
  /** Peak resident set (VmHWM) of the processes `isTarget` picks, the largest one, in bytes. */
  targetPeakBytes?: number;
  /** How many target processes were seen. */
  targets: number;
  /** Largest sum of VmRSS over the whole tree at one sample, in bytes. */
  treePeakBytes: number;
  samples: number;
}

function parentsByPid(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // gone
    }
  }
  return children;
}

function descendants(root: number): number[] {
  const children = parentsByPid();
  const all = [root];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]!) ?? []));
  return all;
}

function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/**
 * Starts sampling the tree under `rootPid` every `intervalMs`; `stop()` returns the peaks.
 * VmHWM is the kernel's own peak, so a short spike between samples is still counted for
 * the targets (as long as the process is seen once before it exits).
 */
export function sampleTree(
  rootPid: number,
  isTarget: (cmdline: string) => boolean,
  intervalMs = 100,
): { stop(): TreeMemory } {
  const targetPeaks = new Map<number, number>();
  const known = new Map<number, boolean>();
  let treePeakKiB = 0;
  let samples = 0;
  const tick = () => {
    samples++;
    let sum = 0;
    for (const pid of descendants(rootPid)) {
      const rss = statusKiB(pid, 'VmRSS');
      if (rss === undefined) continue;
      sum += rss;
      let target = known.get(pid);
      if (target === undefined) {
        target = isTarget(cmdline(pid));
        known.set(pid, target);
      }
      if (target) {
        const hwm = statusKiB(pid, 'VmHWM') ?? rss;
        targetPeaks.set(pid, Math.max(targetPeaks.get(pid) ?? 0, hwm));
      }
    }
    treePeakKiB = Math.max(treePeakKiB, sum);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const peaks = [...targetPeaks.values()];
      return {
        ...(peaks.length ? { targetPeakBytes: Math.max(...peaks) * 1024 } : {}),
        targets: peaks.length,
        treePeakBytes: treePeakKiB * 1024,
        samples,
      };
    },
  };
}

/** The dynamic-provider host of @pulumi/pulumi (what runs windock's providers). */
export const isDynamicProvider = (cmd: string) => /dynamic-provider\/index\.js/.test(cmd);
