import { fieldsWithTier, planImpact } from './impact';
import { windowsVmInputs } from './inputs';
import { inputsOf } from './outputs';

export interface DiffOutcome {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/**
 * Pure, no network (runs on every preview for every VM): old outputs against new checked
 * inputs. Replace-tier fields replace the VM (old one first: same name on the same host).
 */
export function diffWindowsVm(
  oldOutputs: Record<string, unknown>,
  news: Record<string, unknown>,
): DiffOutcome {
  const before = windowsVmInputs.safeParse(inputsOf(oldOutputs));
  const after = windowsVmInputs.safeParse(inputsOf(news));
  if (!before.success || !after.success) {
    // Unknown values during preview, or a state from an older provider: let the engine compare.
    return { changes: true, replaces: [], deleteBeforeReplace: true };
  }
  const plan = planImpact(before.data, after.data);
  if (!plan.ok) return { changes: true, replaces: [], deleteBeforeReplace: true };
  const pendingNowApplied = oldOutputs.restartPending === true && after.data.restartPolicy === 'apply';
  return {
    changes: plan.changes.length > 0 || pendingNowApplied,
    replaces: fieldsWithTier(plan, 'replace'),
    deleteBeforeReplace: true,
  };
}
