import { isDeepStrictEqual } from 'node:util';
import { formatMiB } from '../../../contract';
import type { WindowsVmInputs } from './inputs';
import {
  changeAutostart,
  changePowerState,
  changeRecording,
  growDisks,
  LIVE_ORDER,
  type LiveHandler,
} from './live-changes';

/**
 * What a change does to a running VM, ordered by severity: none (state only), live (applied to
 * the running VM), restart (a new container on the same disks), replace (a new VM and disk).
 */
export const TIERS = ['none', 'live', 'restart', 'replace'] as const;
export type Tier = (typeof TIERS)[number];

export interface FieldChange {
  field: keyof WindowsVmInputs;
  tier: Tier;
  /** "cpu 2 → 4" */
  summary: string;
}

export type ImpactPlan =
  | { ok: true; tier: Tier; changes: FieldChange[]; message: string }
  | { ok: false; field: string; message: string };

type Field = keyof WindowsVmInputs;
/**
 * A field's tier for a change. A rule that can be live names the handler that applies it to the
 * VM's container (`appliedBy`; not `apply`, which every function has).
 */
type Rule = ((before: WindowsVmInputs, after: WindowsVmInputs) => Tier | { rejected: string }) & {
  appliedBy?: LiveHandler;
};

const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
/** A rule whose tier does not depend on the values; it carries the tier for the schema. */
const fixed = (tier: Tier): Rule & { tier: Tier } => Object.assign(() => tier, { tier });

/** A rule whose live outcome `handler` carries out on the VM's container. */
const live = (handler: LiveHandler, rule: Rule = fixed('live')): Rule =>
  Object.assign(rule, { appliedBy: handler });

function diskSizes(vm: WindowsVmInputs): Map<string, { size: number; format: string }> {
  return new Map(vm.disks.map((disk) => [disk.name, { size: disk.size, format: disk.format }]));
}

/** Every input has exactly one rule: no input can change silently. */
const RULES: Record<Field, Rule> = {
  name: fixed('replace'),
  host: fixed('replace'),
  media: fixed('replace'),
  cloneFrom: fixed('replace'),
  // Dropping restoreFrom from the program restores nothing: it is state only.
  restoreFrom: (_before, after) => (after.restoreFrom ? 'restart' : 'none'),
  cpu: fixed('restart'),
  memory: fixed('restart'),
  systemDiskSize: live(growDisks, (before, after) =>
    after.systemDiskSize < before.systemDiskSize
      ? {
          rejected: `disks never shrink: systemDiskSize is ${formatMiB(before.systemDiskSize)}; keep it or make it larger`,
        }
      : 'live',
  ),
  disks: live(growDisks, (before, after) => {
    const old = diskSizes(before);
    const now = diskSizes(after);
    for (const [name, disk] of now) {
      const was = old.get(name);
      if (was && disk.size < was.size) {
        return {
          rejected: `disks never shrink: disk "${name}" is ${formatMiB(was.size)}; keep it or make it larger`,
        };
      }
      if (was && disk.format !== was.format) {
        return {
          rejected: `disk "${name}" cannot change format (${was.format} → ${disk.format}): add a new disk instead`,
        };
      }
    }
    const sameSet = old.size === now.size && [...old.keys()].every((name) => now.has(name));
    return sameSet ? 'live' : 'restart';
  }),
  network: fixed('restart'),
  nics: fixed('restart'),
  containerNetwork: fixed('restart'),
  ports: fixed('restart'),
  rdp: fixed('restart'),
  console: fixed('restart'),
  firmware: (before, after) =>
    (before.firmware === 'bios') !== (after.firmware === 'bios')
      ? {
          rejected: `an installed system cannot move between BIOS and UEFI (${before.firmware} → ${after.firmware}): create a new VM`,
        }
      : 'restart',
  tpm: fixed('restart'),
  accelerator: fixed('restart'),
  snapshots: fixed('restart'),
  guestAgent: fixed('restart'),
  image: fixed('restart'),
  powerState: live(changePowerState),
  autostart: live(changeAutostart),
  restartPolicy: fixed('none'),
  readiness: fixed('none'),
  timeouts: fixed('none'),
  retainStorageOnDelete: fixed('none'),
  labels: fixed('none'),
  adopt: fixed('none'),
  gpu: fixed('restart'),
  // Install-time settings: an installed Windows never reads its answer file again.
  unattend: fixed('none'),
  drivers: fixed('none'),
  shares: fixed('restart'),
  shareAuth: fixed('restart'),
  usb: fixed('restart'),
  audio: fixed('restart'),
  recording: live(changeRecording),
};

/** Inputs whose change always replaces the VM (marked replaceOnChanges in schema.json). */
export const REPLACE_FIELDS = (Object.keys(RULES) as Field[]).filter(
  (field) => (RULES[field] as Partial<{ tier: Tier }>).tier === 'replace',
);

const WHAT_HAPPENS: Record<Tier, string> = {
  none: 'recorded in state only; the VM is not touched',
  live: 'applied to the running VM without a restart',
  restart: 'graceful power-down, a new container on the same disks, boot',
  replace: 'a new VM with new disks; the old VM is deleted',
};

/**
 * What the up does for a changed restoreFrom, which the provider's update decides the same way:
 * a running VM with nothing else to restart for loads the snapshot in place.
 */
function restoreHappens(changes: FieldChange[], before: WindowsVmInputs, after: WindowsVmInputs): string {
  const tag = after.restoreFrom?.snapshot ?? '';
  const onlyRestore = changes.every((c) => c.tier !== 'restart' || c.field === 'restoreFrom');
  const staysRunning = before.powerState === 'running' && after.powerState === 'running';
  if (onlyRestore && staysRunning && after.restartPolicy === 'apply')
    return `restored in place: the running VM loads snapshot "${tag}" (a memory snapshot: RAM, devices, disks and TPM, no new container and no boot; a disk-only snapshot: disks reverted, then a power-down and a boot in the same container)`;
  if (after.powerState !== 'running')
    return `a new container on the same disks, which starts from snapshot "${tag}" at the next power-on`;
  return `graceful power-down, a new container on the same disks, started from snapshot "${tag}"`;
}

/** The live tier, as the update applies it: a power change, or a change a running VM takes as it runs. */
function liveHappens(before: WindowsVmInputs, after: WindowsVmInputs): string {
  if (before.powerState === 'running' && after.powerState === 'stopped')
    return 'graceful power-down; the container and disks stay';
  if (before.powerState === 'stopped' && after.powerState === 'running')
    return 'the VM starts in its container, on the same disks';
  if (after.powerState === 'stopped') return 'recorded in the stopped VM; applied when it next starts';
  return WHAT_HAPPENS.live;
}

/** The restart tier of a VM that stays stopped: nothing boots. */
function restartHappens(after: WindowsVmInputs): string {
  return after.powerState === 'stopped'
    ? 'a new container on the same disks, left stopped (powerState "stopped")'
    : WHAT_HAPPENS.restart;
}

function whatHappens(tier: Tier, changes: FieldChange[], before: WindowsVmInputs, after: WindowsVmInputs) {
  if (tier === 'restart' && after.restoreFrom && changes.some((c) => c.field === 'restoreFrom'))
    return restoreHappens(changes, before, after);
  if (tier === 'restart') return restartHappens(after);
  if (tier === 'live') return liveHappens(before, after);
  return WHAT_HAPPENS[tier];
}

function summarize(field: Field, before: WindowsVmInputs, after: WindowsVmInputs): string {
  const was = before[field];
  const now = after[field];
  if (field === 'memory' || field === 'systemDiskSize')
    return `${field} ${formatMiB(was as number)} → ${formatMiB(now as number)}`;
  if (field === 'restoreFrom') {
    const to = after.restoreFrom;
    return to
      ? `restoreFrom → snapshot "${to.snapshot}" (generation ${to.generation})`
      : 'restoreFrom removed';
  }
  if (field === 'unattend' || field === 'drivers')
    return `${field} changed (applies to a new install only; the installed system is not touched)`;
  if (typeof was === 'object' || typeof now === 'object') return `${field} changed`;
  return `${field} ${show(was)} → ${show(now)}`;
}

/**
 * The impact of changing a VM's inputs from `before` to `after`. Pure, and used by both
 * `check` (to explain the change in preview and refuse what must not happen) and `diff`.
 */
export function planImpact(before: WindowsVmInputs, after: WindowsVmInputs): ImpactPlan {
  const changes: FieldChange[] = [];
  for (const field of Object.keys(RULES) as Field[]) {
    if (isDeepStrictEqual(before[field], after[field])) continue;
    const tier = RULES[field](before, after);
    if (typeof tier === 'object') return { ok: false, field, message: tier.rejected };
    changes.push({ field, tier, summary: summarize(field, before, after) });
  }
  const tier = changes.reduce<Tier>(
    (worst, c) => (TIERS.indexOf(c.tier) > TIERS.indexOf(worst) ? c.tier : worst),
    'none',
  );
  if (changes.length === 0) return { ok: true, tier, changes, message: 'none: no change' };
  const happens = whatHappens(tier, changes, before, after);
  const label = happens.startsWith('restored in place') ? 'restore' : tier;
  let message = `${label}: ${changes.map((c) => c.summary).join(', ')} (${happens})`;
  if (tier === 'replace') {
    message += after.retainStorageOnDelete
      ? '; the old disks are kept (retainStorageOnDelete)'
      : '; the old disks are DELETED: set retainStorageOnDelete to keep them';
  }
  if (tier === 'restart' && after.restartPolicy === 'pending')
    message += '; restartPolicy "pending": recorded, applied at the next restart';
  return { ok: true, tier, changes, message };
}

export function fieldsWithTier(plan: ImpactPlan, tier: Tier): Field[] {
  return plan.ok ? plan.changes.filter((c) => c.tier === tier).map((c) => c.field) : [];
}

/** The live handlers of a plan's changes, each once, in the order the update applies them. */
export function liveHandlers(plan: Extract<ImpactPlan, { ok: true }>): LiveHandler[] {
  const named = new Set(plan.changes.map((c) => RULES[c.field].appliedBy));
  return LIVE_ORDER.filter((handler) => named.has(handler));
}
