import { existsSync, readFileSync, statfsSync } from 'node:fs';
// The image's own test of usable KVM: the quickstart's Docker host is this machine.
import { kvmProblem, probeKvm, type KvmProbe } from '../../lib/kvm/accelerator';

/**
 * Which guest the quickstart runs: a real Windows 11 install where this host can run one (usable
 * KVM, Microsoft's download answers, room for it), otherwise windock's stand-in guest, saying why.
 * Decided on the machine running the quickstart, which is also its Docker host (local engine).
 */
export interface QuickstartFacts {
  kvm: KvmProbe;
  /** Microsoft's Windows 11 download page answered with 200. */
  microsoftAnswers: boolean;
  memAvailableMiB: number;
  /** Free space where Docker keeps its volumes. */
  diskFreeGiB: number;
}

export type QuickstartRoute =
  { route: 'windows'; announcement: string } | { route: 'standin'; reasons: string[]; announcement: string };

/** Windows 11's own minimums (4 GiB RAM, 64 GiB disk) plus the ISO in the media cache and the host's share. */
export const WINDOWS_NEEDS = { memAvailableMiB: 5 * 1024, diskFreeGiB: 64 + 8 };

export const WINDOWS_QUICKSTART = {
  description:
    "Windows 11 Pro (English, unactivated), unattended, from Microsoft's consumer download (about 6 GiB)",
  duration: 'about 20 to 40 minutes with KVM (download, Setup with two reboots, first logon)',
};

/** Pure: the route and the line the quickstart prints first. */
export function chooseQuickstartRoute(facts: QuickstartFacts, forced?: string): QuickstartRoute {
  if (forced === 'standin')
    return {
      route: 'standin',
      reasons: ['WINDOCK_QUICKSTART=standin'],
      announcement: standinLine(['asked for']),
    };
  const kvm = kvmProblem(facts.kvm);
  const reasons = kvm ? [kvm] : [];
  if (!facts.microsoftAnswers)
    reasons.push("Microsoft's download servers cannot be reached from this machine");
  if (facts.memAvailableMiB < WINDOWS_NEEDS.memAvailableMiB)
    reasons.push(
      `${facts.memAvailableMiB} MiB of memory is available, Windows 11 needs ${WINDOWS_NEEDS.memAvailableMiB}`,
    );
  if (facts.diskFreeGiB < WINDOWS_NEEDS.diskFreeGiB)
    reasons.push(
      `${facts.diskFreeGiB} GiB is free for Docker's volumes, Windows 11 needs ${WINDOWS_NEEDS.diskFreeGiB}`,
    );
  if (reasons.length === 0 || forced === 'windows') {
    const caveat = reasons.length ? ` (forced, although ${reasons.join('; ')})` : '';
    return {
      route: 'windows',
      announcement: `installing ${WINDOWS_QUICKSTART.description}: ${WINDOWS_QUICKSTART.duration}${caveat}`,
    };
  }
  return { route: 'standin', reasons, announcement: standinLine(reasons) };
}

function standinLine(reasons: string[]): string {
  return `not installing Windows here (${reasons.join('; ')}): booting windock's stand-in guest instead (same image, container, QEMU, console and lifecycle)`;
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

async function microsoftAnswers(): Promise<boolean> {
  try {
    const response = await fetch('https://www.microsoft.com/en-us/software-download/windows11', {
      signal: AbortSignal.timeout(8000),
    });
    return response.status === 200;
  } catch {
    return false;
  }
}

export async function gatherQuickstartFacts(dockerRoot = '/var/lib/docker'): Promise<QuickstartFacts> {
  const memAvailableKiB = Number(/^MemAvailable:\s+(\d+)/m.exec(readOr('/proc/meminfo', ''))?.[1] ?? 0);
  const fs = statfsSync(existsSync(dockerRoot) ? dockerRoot : '/');
  return {
    kvm: probeKvm(),
    microsoftAnswers: await microsoftAnswers(),
    memAvailableMiB: Math.floor(memAvailableKiB / 1024),
    diskFreeGiB: Math.floor((fs.bavail * fs.bsize) / 2 ** 30),
  };
}

// `node quickstart-route.js`: prints the announcement on stderr and the route on stdout.
if (require.main === module) {
  void gatherQuickstartFacts().then((facts) => {
    const route = chooseQuickstartRoute(facts, process.env.WINDOCK_QUICKSTART);
    process.stderr.write(`[quickstart] ${route.announcement}\n`);
    process.stdout.write(`${route.route}\n`);
  });
}
