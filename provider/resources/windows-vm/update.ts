import { containerExists, inspectContainer } from '../../docker/containers';
import { removeContainer } from '../../docker/containers';
import { stopVmContainer } from '../../vm/power';
import { restoreSnapshot } from '../../vm/snapshots';
import { cloneBaseOf } from './clone-bases';
import { guestAddresses } from './guest-addresses';
import { identityFor, type VmIdentity } from './identity';
import { liveHandlers, planImpact, type ImpactPlan } from './impact';
import type { WindowsVmInputs } from './inputs';
import {
  describeVm,
  launchVm,
  newConsoleToken,
  newSharePassword,
  rewriteSpec,
  type HostContext,
  type Launched,
  vmSecrets,
  vmSpecOnHost,
} from './launch';
import type { LiveChange } from './live-changes';
import type { WindowsVmOutputs } from './outputs';
import { plannedRestore, type SnapshotRestore } from './restore';
import { statusSummary } from './status-summary';
import { toPlacement } from './to-spec';
import { startAndWait } from './wait-ready';

type Plan = Extract<ImpactPlan, { ok: true }>;

/** Everything an update of one VM works with, decided before anything on the host changes. */
export interface VmUpdate {
  context: HostContext;
  old: WindowsVmOutputs;
  before: WindowsVmInputs;
  vm: WindowsVmInputs & { changeImpact: string };
  plan: Plan;
  identity: VmIdentity;
  consoleToken: string;
  sharePassword: string;
  /** A restart-tier change recorded under "pending" that restartPolicy "apply" now applies. */
  pendingNowApplied: boolean;
  wantsRestart: boolean;
  /** The container as it runs today (a restart replaces it). */
  launched: Launched;
  restore?: SnapshotRestore;
}

/** How the update applies the plan. */
export type UpdatePath = 'pending' | 'restore' | 'restart' | 'live';

/** The plan, checked again (a refused change fails here too), and the spec the VM now gets. */
export async function prepareUpdate(
  contextFor: (host: string) => HostContext,
  old: WindowsVmOutputs,
  before: WindowsVmInputs,
  vm: WindowsVmInputs & { changeImpact: string },
): Promise<VmUpdate> {
  const plan = planImpact(before, vm);
  if (!plan.ok) throw new Error(`${plan.field}: ${plan.message}`);
  const context = contextFor(vm.host);
  const identity = identityFor(old.vmUuid);
  const pendingNowApplied = old.restartPending === true && vm.restartPolicy === 'apply';
  const clone = cloneBaseOf(old);
  const spec = await vmSpecOnHost(context, vm, identity, { clone, mediaSha256: old.mediaSha256 });
  const placement = toPlacement(vm, spec, {
    image: vm.image ?? context.image,
    stack: context.stack,
    knownHostPorts: old.publishedPorts ?? {},
    volumeName: old.volumeName,
    clone,
  });
  const update: VmUpdate = {
    context,
    old,
    before,
    vm,
    plan,
    identity,
    pendingNowApplied,
    consoleToken: old.consoleToken || newConsoleToken(),
    sharePassword: old.sharePassword || newSharePassword(),
    wantsRestart: plan.tier === 'restart' || pendingNowApplied,
    launched: {
      containerId: old.containerId || old.containerName,
      spec,
      placement,
      warnings: old.warnings ?? [],
    },
  };
  update.restore = await plannedRestore(context, old, before, vm, spec);
  return update;
}

/** A running VM with only a restoreFrom to restart for loads the snapshot in place (as the preview says). */
async function restoresInPlace(update: VmUpdate): Promise<boolean> {
  const { context, old, plan } = update;
  return (
    !update.pendingNowApplied &&
    plan.changes.every((c) => c.tier !== 'restart' || c.field === 'restoreFrom') &&
    (await inspectContainer(context.docker, old.containerName).catch(() => undefined))?.State.Running === true
  );
}

/**
 * Which path the update takes: record a restart for later, restore in place, a new container,
 * or live changes to the container there is; and whether that container was there.
 */
export async function decidePath(update: VmUpdate): Promise<{ path: UpdatePath; containerPresent: boolean }> {
  if (update.wantsRestart && update.vm.restartPolicy === 'pending')
    return { path: 'pending', containerPresent: true };
  const containerPresent = await containerExists(update.context.docker, update.old.containerName);
  if (update.restore && (await restoresInPlace(update))) return { path: 'restore', containerPresent };
  if (update.wantsRestart || (!containerPresent && update.vm.powerState === 'running'))
    return { path: 'restart', containerPresent };
  return { path: 'live', containerPresent };
}

const secretsOf = (update: VmUpdate) =>
  vmSecrets(update.vm, update.launched.spec, {
    consoleToken: update.consoleToken,
    sharePassword: update.sharePassword,
  });

/** The fast path: load the snapshot into the running VM (RAM, devices, disks, TPM). */
async function restoreInPlace(update: VmUpdate, restore: SnapshotRestore): Promise<void> {
  const ref = { docker: update.context.docker, container: update.old.containerName };
  await restoreSnapshot(ref, restore.tag, { secrets: secretsOf(update) });
}

/** Graceful power-down and a new container on the same storage (a pending or restart-tier change, a lost container). */
async function restartOnSameStorage(update: VmUpdate): Promise<Launched> {
  const { context, old, vm } = update;
  await stopVmContainer(context.docker, old.containerName, old.timeouts.shutdownSeconds);
  await removeContainer(context.docker, old.containerName);
  return launchVm(context, vm, update.identity, {
    consoleToken: update.consoleToken,
    sharePassword: update.sharePassword,
    knownHostPorts: old.publishedPorts ?? {},
    firstStart: false,
    volumeName: old.volumeName,
    clone: cloneBaseOf(old),
    restore: update.restore,
    mediaSha256: old.mediaSha256,
  });
}

/** The live handlers of the planned changes, each once; the spec rewritten once for those that read it. */
async function applyLive(update: VmUpdate): Promise<void> {
  const handlers = liveHandlers(update.plan);
  const container = update.old.containerName;
  if (handlers.some((handler) => handler.rewritesSpec))
    await rewriteSpec(update.context.docker, container, update.launched.spec);
  const change: LiveChange = {
    context: update.context,
    container,
    before: update.before,
    after: update.vm,
    secrets: () => secretsOf(update),
  };
  for (const handler of handlers) await handler.apply(change);
}

/** The outputs after the update: status, guest addresses and what Docker made. */
async function describeUpdated(update: VmUpdate): Promise<WindowsVmOutputs> {
  const { context, vm, launched } = update;
  const status = await statusSummary(context, launched.containerId);
  const addresses =
    vm.powerState === 'running' && vm.guestAgent ? await guestAddresses(context, launched.containerId) : [];
  return describeVm(context, vm, update.identity, launched, {
    consoleToken: update.consoleToken,
    sharePassword: update.sharePassword,
    ...status,
    restartPending: false,
    guestAddresses: addresses,
    cloneBase: cloneBaseOf(update.old),
  });
}

/** Runs the decided path, waits where the VM (re)starts, and describes the result. */
export async function applyUpdate(update: VmUpdate): Promise<{ outs: WindowsVmOutputs }> {
  const { context, old, before, vm } = update;
  const { path, containerPresent } = await decidePath(update);
  if (path === 'pending') return { outs: { ...old, ...vm, restartPending: true } };
  if (path === 'restore' && update.restore) await restoreInPlace(update, update.restore);
  if (path === 'restart') update.launched = await restartOnSameStorage(update);
  else await applyLive(update);
  const started = update.wantsRestart || before.powerState !== vm.powerState || !containerPresent;
  if (vm.powerState === 'running' && path !== 'restore' && started) {
    await startAndWait(context, vm, update.launched);
  }
  return { outs: await describeUpdated(update) };
}
