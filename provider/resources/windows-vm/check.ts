import { zodFailures, type CheckFailure } from '../common/check-failures';
import { containsUnknown, UNKNOWN } from '../common/unknown';
import { driversRefusal } from './drivers-check';
import { planImpact, type ImpactPlan } from './impact';
import { windowsVmInputs, type WindowsVmInputs } from './inputs';
import { containerNameOf } from './naming';
import { inputsOf } from './outputs';
import { ownAnswerFileFailures } from './own-answer-file';
import { plannedIdentity, type IdentityOutputs } from './planned-identity';

export { UNKNOWN, type CheckFailure };

export type CheckOutcome =
  | {
      ok: true;
      inputs: WindowsVmInputs & { changeImpact: string } & IdentityOutputs;
      plan: ImpactPlan | undefined;
    }
  | { ok: true; inputs: Record<string, unknown>; plan: undefined; unknown: true }
  | { ok: false; failures: CheckFailure[] };

export const CREATE_IMPACT = 'create: a new VM (storage volume, disks and container)';

/**
 * Validates and normalizes new inputs, and plans the change against the old ones. Pure but for
 * reading unattend.file (the user's own answer file) to check it.
 * The planned impact goes into the inputs as `changeImpact`, so `pulumi preview --diff` shows,
 * per VM, which tier the change lands in and why.
 */
export function checkWindowsVm(olds: Record<string, unknown>, news: Record<string, unknown>): CheckOutcome {
  const raw = inputsOf(news);
  if (containsUnknown(raw))
    return {
      ok: true,
      inputs: {
        ...raw,
        changeImpact: 'known after dependencies are applied',
        ...(typeof raw.name === 'string' && raw.name !== UNKNOWN
          ? { containerName: containerNameOf(raw.name) }
          : {}),
      },
      plan: undefined,
      unknown: true,
    };
  const parsed = windowsVmInputs.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, failures: zodFailures(parsed.error) };
  }
  const after = parsed.data;
  const fileFailures = ownAnswerFileFailures(after);
  if (fileFailures.length > 0)
    return { ok: false, failures: fileFailures.map((reason) => ({ property: 'unattend', reason })) };
  const drivers = driversRefusal(after);
  if (drivers) return { ok: false, failures: [{ property: 'drivers', reason: drivers }] };
  const before = Object.keys(olds).length > 0 ? windowsVmInputs.safeParse(inputsOf(olds)) : undefined;
  if (!before?.success)
    return {
      ok: true,
      // Olds that no longer parse (a state from an older provider) are still the same VM.
      inputs: { ...after, changeImpact: CREATE_IMPACT, ...plannedIdentity(after, before ? olds : undefined) },
      plan: undefined,
    };

  const plan = planImpact(before.data, after);
  if (!plan.ok)
    return { ok: false, failures: [{ property: plan.field, reason: `${plan.field}: ${plan.message}` }] };
  if (plan.tier === 'restart' && after.restartPolicy === 'refuse') {
    const fields = plan.changes.filter((c) => c.tier === 'restart').map((c) => c.field);
    return {
      ok: false,
      failures: fields.map((field) => ({
        property: field,
        reason: `${field}: this change needs a restart of VM "${after.name}", and its restartPolicy is "refuse": set restartPolicy to "apply" (or "pending") to allow it`,
      })),
    };
  }
  return {
    ok: true,
    inputs: {
      ...after,
      changeImpact: plan.message,
      // A replaced VM is another VM: its replacement gets an identity of its own.
      ...plannedIdentity(after, plan.tier === 'replace' ? undefined : olds),
    },
    plan,
  };
}
