import type * as dynamic from '@pulumi/pulumi/dynamic';
import { stackSettings, type StackSettings } from '../common/stack-settings';
import { checkWindowsVm } from './check';
import { CloneBasesInFlight } from './clone-bases';
import { createWindowsVm } from './create';
import { deleteWindowsVm } from './delete';
import { diffWindowsVm } from './diff';
import { hostContextFor } from './host-context';
import { windowsVmInputs, type WindowsVmInputs } from './inputs';
import type { HostContext } from './launch';
import { missingMediaFiles } from './media-files';
import { inputsOf, type WindowsVmOutputs } from './outputs';
import { preflight } from './preflight';
import { readWindowsVm } from './read';
import { applyUpdate, prepareUpdate } from './update';

function parseInputs(values: Record<string, unknown>): WindowsVmInputs & { changeImpact: string } {
  const parsed = windowsVmInputs.parse(inputsOf(values));
  return { ...parsed, changeImpact: typeof values.changeImpact === 'string' ? values.changeImpact : '' };
}

/**
 * The WindowsVm resource provider. It owns what lives across calls in one provider process: the
 * replace explanations its checks planned, and the clone bases being made.
 */
export class WindowsVmProvider implements dynamic.ResourceProvider {
  /** Replace explanations by "host/name", from the check that planned them. */
  private readonly replacePlans = new Map<string, string>();
  private readonly cloneBases = new CloneBasesInFlight();

  constructor(private readonly settings: StackSettings) {}

  private context(hostName: string): HostContext {
    return hostContextFor(this.settings, hostName);
  }

  async configure(request: dynamic.ConfigureRequest): Promise<void> {
    this.settings.configure(request);
  }

  async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
    const outcome = checkWindowsVm(olds ?? {}, news ?? {});
    if (!outcome.ok) return { inputs: news, failures: outcome.failures };
    if ('unknown' in outcome) return { inputs: outcome.inputs };
    // For a replacement the engine checks the new resource again with no olds; keep the
    // replace explanation (computed by the first check, in this same process) for it.
    const key = `${outcome.inputs.host}/${outcome.inputs.name}`;
    if (outcome.plan?.ok && outcome.plan.tier === 'replace') this.replacePlans.set(key, outcome.plan.message);
    else if (outcome.plan === undefined && this.replacePlans.has(key))
      outcome.inputs.changeImpact = this.replacePlans.get(key)!;
    const failures = missingMediaFiles(outcome.inputs.media).map((file) => ({
      property: 'media',
      reason: file.reason,
    }));
    // Preflight only for new VMs and real changes: a large unchanged fleet previews without I/O.
    if (
      failures.length === 0 &&
      (outcome.plan === undefined || (outcome.plan.ok && outcome.plan.changes.length > 0))
    ) {
      failures.push(...(await preflight(this.settings.current, outcome.inputs, outcome.plan)));
    }
    return failures.length > 0 ? { inputs: news, failures } : { inputs: outcome.inputs };
  }

  async diff(
    _id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<dynamic.DiffResult> {
    return diffWindowsVm(olds, news);
  }

  async create(inputs: Record<string, unknown>): Promise<dynamic.CreateResult> {
    const vm = parseInputs(inputs);
    return createWindowsVm(this.context(vm.host), this.cloneBases, vm, inputs);
  }

  async read(id: string, props: Record<string, unknown>): Promise<dynamic.ReadResult> {
    const old = props as WindowsVmOutputs;
    if (!old?.containerName) return { id, props };
    return readWindowsVm(this.context(old.host), id, old);
  }

  async update(
    _id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<dynamic.UpdateResult> {
    const vm = parseInputs(news);
    const before = windowsVmInputs.parse(inputsOf(olds));
    const update = await prepareUpdate((host) => this.context(host), olds as WindowsVmOutputs, before, vm);
    return applyUpdate(update);
  }

  async delete(_id: string, props: Record<string, unknown>): Promise<void> {
    const old = props as WindowsVmOutputs;
    if (!old?.containerName) return;
    await deleteWindowsVm(this.context(old.host), old);
  }
}

export const windowsVmProvider: dynamic.ResourceProvider = new WindowsVmProvider(stackSettings);
