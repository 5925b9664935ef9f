// The image: its size (docker image inspect) and its build time, read from what the set-up
// left (docker history's layer times and the set-up log $WINDOCK_CACHE/setup-image.log).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { localDocker, WINDOCK_IMAGE } from '../../tests/rig/docker';
import { summarize } from '../stats';
import { guarded, type GroupContext } from './context';

const GROUP = 'image';

interface Layer {
  Id: string;
  Created: number;
  CreatedBy: string;
  Size: number;
}

/**
 * Build time from layer timestamps: a layer's step took (its time − its parent's time) when both
 * were made in one build. A gap of more than `maxGapS` means the parent came from an earlier
 * build (a cached step), so that step's time is unknown and left out.
 */
export function buildSteps(
  history: Layer[],
  maxGapS = 600,
): { seconds: number; counted: number; skipped: number } {
  const oldestFirst = [...history].reverse();
  let seconds = 0;
  let counted = 0;
  let skipped = 0;
  for (let i = 1; i < oldestFirst.length; i++) {
    const parent = oldestFirst[i - 1]!;
    const gap = oldestFirst[i]!.Created - parent.Created;
    // An imported base (no build step of its own) says nothing about this build.
    if (parent.CreatedBy !== '' && gap >= 0 && gap <= maxGapS) {
      seconds += gap;
      counted++;
    } else skipped++;
  }
  return { seconds, counted, skipped };
}

export async function runImageGroup(ctx: GroupContext): Promise<void> {
  const docker = localDocker();
  await guarded(ctx, GROUP, 'image size', 'bytes', async () => {
    const info = await docker.getImage(WINDOCK_IMAGE).inspect();
    const history = (await docker.getImage(WINDOCK_IMAGE).history()) as Layer[];
    const base = history.find((l, i) => i > 0 && l.CreatedBy === '' && l.Size > 0);
    ctx.add({
      group: GROUP,
      name: `image size (${WINDOCK_IMAGE})`,
      unit: 'bytes',
      ours: summarize([info.Size]),
      anchor: { label: 'dockurr/windows', kind: 'n/a' },
      note:
        `docker image inspect: ${history.length} layers${base ? `, of which the Debian base ${(base.Size / 1e6).toFixed(0)} MB` : ''}; QEMU, OVMF, swtpm, socat and the node binary make most of the rest. ` +
        'dockurr/windows cannot be pulled here (no registry), so there is no measured anchor.',
    });
    const steps = buildSteps(history);
    const logPath = join(process.env.WINDOCK_CACHE ?? '/var/cache/windock', 'setup-image.log');
    let logNote = 'the set-up log is missing';
    if (existsSync(logPath)) {
      const log = readFileSync(logPath, 'utf8');
      const total = log.match(/^Step \d+\/(\d+)/m)?.[1];
      const cached = (log.match(/Using cache/g) ?? []).length;
      const current = /is current/.test(log);
      logNote = current
        ? `the last set-up found the image current (no build; log from ${statSync(logPath).mtime.toISOString()})`
        : `the last set-up build (${statSync(logPath).mtime.toISOString()}) ran ${total ?? '?'} steps, ${cached} from cache`;
    }
    ctx.add({
      group: GROUP,
      name: 'image build time (from layer times)',
      unit: 'ms',
      ours: summarize([steps.seconds * 1000]),
      anchor: { label: 'dockurr/windows', kind: 'n/a' },
      note:
        `Sum of the build steps whose time docker history shows (layer time minus its parent's; ${steps.counted} steps counted, ${steps.skipped} skipped as made in an earlier build; layer times have 1 s resolution). ` +
        `The apt step (qemu-system-x86, ovmf, swtpm from the Debian mirror) dominates a cold build. Set-up log: ${logNote}. No build is run by the benchmark.`,
    });
  });
}
