import { diskNodeName } from '../../../contract/block-nodes';
import { removeIsolatedNetworkIfUnused } from '../../docker/isolated-network-cleanup';
import { isIncompleteVmContainer } from '../../docker/vm-container';
import { handOverSecrets, startVmContainer } from '../../docker/vm-secrets';
import { readContainerSpec } from '../../vm/volume-files';
import { isDeepStrictEqual } from 'node:util';
import { STORAGE_PATHS, type RestoreSpec, type VmSpec } from '../../../contract';
import { prepareCloneBase, removeCloneBase, type CloneBase } from '../../vm/clone-base';
import { hardwareDifferences, hardwareOf } from '../../vm/snapshot-record';
import { readSnapshotRecord, restoreSnapshot } from '../../vm/snapshots';
import type * as dynamic from '@pulumi/pulumi/dynamic';
import { hostConfigFor, parseProviderSettings, type ProviderSettings } from '../../config/provider-config';
import { containerExists } from '../../docker/container-exists';
import { isNotFound } from '../../docker/errors';
import { sharedHostPool } from '../../hosts';
import { connectVmQmp } from '../../vm/qmp-exec';
import { applyRecordingChange } from '../../vm/recording';
import { removeContainer, removeVolume, stopVmContainer } from '../../vm/power';
import { waitForReadiness } from '../../vm/readiness';
import { readVmStatus } from '../../vm/status';
import { describeExit } from '../../vm/exit-codes';
import { checkWindowsVm } from './check';
import { diffWindowsVm } from './diff';
import { planImpact } from './impact';
import { identityFor, newIdentity, type VmIdentity } from './identity';
import { windowsVmInputs, type WindowsVmInputs } from './inputs';
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
import { findAdoptable } from './adopt';
import { guestAddresses } from './guest-addresses';
import { withProviderKey } from './half-made';
import { missingMediaFiles } from './media-files';
import { containerNameOf, LABELS } from './naming';
import { inputsOf, type WindowsVmOutputs } from './outputs';
import { identityFromInputs, identityOutputsOf } from './planned-identity';
import { preflight } from './preflight';
import { downloadProgressLogger } from '../../media/progress-log';
import { toPlacement } from './to-spec';

let settings: ProviderSettings = parseProviderSettings(() => undefined, '');
/** Replace explanations by "host/name", from the check that planned them. */
const replacePlans = new Map<string, string>();

/** The stack, where the engine tells the provider process (a label on containers, for people). */
function currentStack(): string {
  return process.env.PULUMI_NODEJS_STACK ?? process.env.PULUMI_STACK ?? '';
}

function hostContext(hostName: string): HostContext {
  const host = hostConfigFor(settings, hostName);
  return { docker: sharedHostPool().get(host), host, image: settings.image, stack: settings.stack };
}

function parseInputs(values: Record<string, unknown>): WindowsVmInputs & { changeImpact: string } {
  const parsed = windowsVmInputs.parse(inputsOf(values));
  return { ...parsed, changeImpact: typeof values.changeImpact === 'string' ? values.changeImpact : '' };
}

/** An error that keeps a half-made VM in state (the engine records id and properties). */
function halfMade(error: unknown, id: string, properties: Record<string, unknown>): Error {
  const wrapped = new Error(
    `${(error as Error).message}\nThe VM was created but is not ready; it stays in state: fix the cause and run \`pulumi up\` again, or destroy it.`,
  );
  Object.assign(wrapped, { id, properties, reasons: [(error as Error).message] });
  return wrapped;
}

async function statusSummary(
  context: HostContext,
  containerId: string,
): Promise<{ phase: string; accelerator: string }> {
  try {
    const info = await context.docker.getContainer(containerId).inspect();
    if (!info.State.Running)
      return {
        phase: info.State.Status === 'created' ? 'stopped' : `stopped (${describeExit(info.State.ExitCode)})`,
        accelerator: '',
      };
    const status = await readVmStatus(context.docker, containerId);
    return { phase: status?.phase ?? 'starting', accelerator: status?.accelerator ?? '' };
  } catch (error) {
    if (isNotFound(error)) return { phase: 'missing', accelerator: '' };
    throw error;
  }
}

async function handOverSecretsAgain(context: HostContext, old: WindowsVmOutputs): Promise<void> {
  const vm = windowsVmInputs.parse(inputsOf(old as unknown as Record<string, unknown>));
  const spec = await readContainerSpec(context.docker, old.containerName);
  await handOverSecrets(
    context.docker,
    old.containerName,
    vmSecrets(vm, spec, { consoleToken: old.consoleToken, sharePassword: old.sharePassword }),
  );
}

async function startAndWait(context: HostContext, vm: WindowsVmInputs, launched: Launched): Promise<void> {
  if (vm.powerState !== 'running') return;
  await waitForReadiness(
    context.docker,
    launched.containerId,
    vm.readiness,
    vm.timeouts.createSeconds * 1000,
    downloadProgressLogger(vm.name),
    { vmName: vm.name, timeoutInput: 'timeouts.createSeconds', progressIntervalMs: progressIntervalMs() },
  );
}

/** Tests shorten the progress lines' interval (WINDOCK_PROGRESS_INTERVAL_MS); users get 30 s. */
function progressIntervalMs(): number | undefined {
  const value = Number(process.env.WINDOCK_PROGRESS_INTERVAL_MS);
  return value > 0 ? value : undefined;
}

/** Grows disks of a running VM through QMP (the live tier); the image grows them at start otherwise. */
async function growDisksLive(
  context: HostContext,
  containerId: string,
  before: WindowsVmInputs,
  after: WindowsVmInputs,
): Promise<void> {
  const grown: Array<{ node: string; bytes: number }> = [];
  if (after.systemDiskSize > before.systemDiskSize)
    grown.push({ node: diskNodeName({ name: 'system' }), bytes: after.systemDiskSize * 1024 ** 2 });
  for (const disk of after.disks) {
    const was = before.disks.find((d) => d.name === disk.name);
    if (was && disk.size > was.size) grown.push({ node: diskNodeName(disk), bytes: disk.size * 1024 ** 2 });
  }
  if (grown.length === 0) return;
  const qmp = await connectVmQmp(context.docker, containerId);
  try {
    for (const disk of grown) await qmp.execute('block_resize', { 'node-name': disk.node, size: disk.bytes });
  } finally {
    await qmp.close();
  }
}

/**
 * A create that lost its host mid-way (SSH dropped while the media were copied) leaves a
 * container that never started and never got its completion marker, and its new volume; the
 * next create of the same VM removes them instead of refusing the name.
 */
async function sweepIncompleteCreate(context: HostContext, name: string): Promise<void> {
  if (
    !(await containerExists(context.docker, name)) ||
    !(await isIncompleteVmContainer(context.docker, name))
  )
    return;
  const container = context.docker.getContainer(name);
  const info = await container.inspect();
  const volume = info.Mounts.find((mount) => mount.Destination === '/storage')?.Name;
  // The volume goes too only if it never ran a VM (no ownership record: an adopted or retained
  // volume has one) and that same attempt made it (same VM identity).
  const neverRan = await container
    .getArchive({ path: STORAGE_PATHS.record })
    .then(() => false)
    .catch((error: { statusCode?: number }) => error.statusCode === 404);
  await removeContainer(context.docker, name);
  if (volume && neverRan) {
    const labels =
      (
        await context.docker
          .getVolume(volume)
          .inspect()
          .catch(() => undefined)
      )?.Labels ?? {};
    if (labels[LABELS.uuid] === info.Config.Labels?.[LABELS.uuid]) {
      await removeVolume(context.docker, volume).catch(() => undefined);
    }
  }
}

/** Clone bases being made, by host/container/snapshot: clones created together share one. */
const cloneBasesInFlight = new Map<string, Promise<CloneBase>>();

function sharedCloneBase(
  context: HostContext,
  from: { container: string; snapshot: string },
): Promise<CloneBase> {
  const key = `${context.host.name}/${from.container}/${from.snapshot}`;
  let base = cloneBasesInFlight.get(key);
  if (!base) {
    base = prepareCloneBase({ docker: context.docker, container: from.container }, from.snapshot, {
      withMemory: false,
    });
    cloneBasesInFlight.set(key, base);
    // Later creates re-check the base on the host (it may have been removed meanwhile).
    void base.catch(() => undefined).finally(() => cloneBasesInFlight.delete(key));
  }
  return base;
}

function cloneBaseOf(old: Partial<WindowsVmOutputs>): CloneBase | undefined {
  return old.cloneBase ? (JSON.parse(old.cloneBase) as CloneBase) : undefined;
}

async function restartOnSameStorage(
  context: HostContext,
  old: WindowsVmOutputs,
  vm: WindowsVmInputs,
  identity: VmIdentity,
  consoleToken: string,
  restore: RestoreSpec | undefined,
  sharePassword?: string,
): Promise<Launched> {
  await stopVmContainer(context.docker, old.containerName, old.timeouts.shutdownSeconds);
  await removeContainer(context.docker, old.containerName);
  return launchVm(context, vm, identity, {
    consoleToken,
    sharePassword,
    knownHostPorts: old.publishedPorts ?? {},
    firstStart: false,
    volumeName: old.volumeName,
    clone: cloneBaseOf(old),
    restore,
    mediaSha256: old.mediaSha256,
  });
}

type SnapshotRestore = Extract<RestoreSpec, { kind: 'snapshot' }>;

/**
 * A changed restoreFrom: where the snapshot can be loaded in place (a running VM, nothing else
 * to restart for), do that; otherwise the new container starts from it. Either way the
 * snapshot's recorded hardware is checked against the new spec first, before anything stops.
 */
async function plannedRestore(
  context: HostContext,
  old: WindowsVmOutputs,
  before: WindowsVmInputs,
  vm: WindowsVmInputs,
  spec: VmSpec,
): Promise<SnapshotRestore | undefined> {
  if (!vm.restoreFrom || isDeepStrictEqual(before.restoreFrom, vm.restoreFrom)) return undefined;
  const tag = vm.restoreFrom.snapshot;
  const record = await readSnapshotRecord({ docker: context.docker, container: old.containerName }, tag);
  if (!record) {
    throw new Error(
      `restoreFrom: VM "${vm.name}" has no snapshot "${tag}" taken by windock (see its WindowsSnapshot resources)`,
    );
  }
  const differences = hardwareDifferences(record.hardware, hardwareOf(spec));
  if (differences.length > 0) {
    throw new Error(
      `restoreFrom: snapshot "${tag}" was taken on other hardware (${differences.join('; ')}): change the VM back first; the VM was not touched`,
    );
  }
  return { kind: 'snapshot', tag, requestId: `r${Date.now().toString(36)}` };
}

export const windowsVmProvider: dynamic.ResourceProvider = {
  async configure(request) {
    settings = parseProviderSettings((key) => request.config.get(key), currentStack());
  },

  async check(olds, news) {
    const outcome = checkWindowsVm(olds ?? {}, news ?? {});
    if (!outcome.ok) return { inputs: news, failures: outcome.failures };
    if ('unknown' in outcome) return { inputs: outcome.inputs };
    // For a replacement the engine checks the new resource again with no olds; keep the
    // replace explanation (computed by the first check, in this same process) for it.
    const key = `${outcome.inputs.host}/${outcome.inputs.name}`;
    if (outcome.plan?.ok && outcome.plan.tier === 'replace') replacePlans.set(key, outcome.plan.message);
    else if (outcome.plan === undefined && replacePlans.has(key))
      outcome.inputs.changeImpact = replacePlans.get(key)!;
    const failures = missingMediaFiles(outcome.inputs.media).map((file) => ({
      property: 'media',
      reason: file.reason,
    }));
    // Preflight only for new VMs and real changes: a large unchanged fleet previews without I/O.
    if (
      failures.length === 0 &&
      (outcome.plan === undefined || (outcome.plan.ok && outcome.plan.changes.length > 0))
    ) {
      failures.push(...(await preflight(settings, outcome.inputs, outcome.plan)));
    }
    return failures.length > 0 ? { inputs: news, failures } : { inputs: outcome.inputs };
  },

  async diff(_id, olds, news) {
    return diffWindowsVm(olds, news);
  },

  async create(inputs) {
    const vm = parseInputs(inputs);
    const context = hostContext(vm.host);
    const adopted = vm.adopt ? await findAdoptable(context, vm.adopt) : undefined;
    if (adopted?.container) {
      await stopVmContainer(context.docker, adopted.container, vm.timeouts.shutdownSeconds);
      await removeContainer(context.docker, adopted.container);
    }
    await sweepIncompleteCreate(context, containerNameOf(vm.name));
    if (await containerExists(context.docker, containerNameOf(vm.name))) {
      throw new Error(
        `a container named windock-${vm.name} already exists on host "${vm.host}" (another stack, or a VM left behind): ` +
          'choose another name for this VM, or remove the old one',
      );
    }
    const identity = adopted?.identity ?? identityFromInputs(inputs) ?? newIdentity();
    const consoleToken = newConsoleToken();
    const sharePassword = newSharePassword();
    const clone = vm.cloneFrom ? await sharedCloneBase(context, vm.cloneFrom) : undefined;
    const launched = await launchVm(context, vm, identity, {
      consoleToken,
      sharePassword,
      knownHostPorts: {},
      firstStart: !adopted,
      volumeName: adopted?.volumeName,
      adopting: adopted !== undefined,
      clone,
    });
    try {
      await startAndWait(context, vm, launched);
    } catch (error) {
      const outs = await describeVm(context, vm, identity, launched, {
        cloneBase: clone,
        consoleToken,
        sharePassword,
        phase: 'failed',
        accelerator: '',
        restartPending: false,
      });
      throw halfMade(error, identity.uuid, withProviderKey(outs, inputs));
    }
    const status = await statusSummary(context, launched.containerId);
    const addresses =
      vm.powerState === 'running' && vm.guestAgent ? await guestAddresses(context, launched.containerId) : [];
    const outs = await describeVm(context, vm, identity, launched, {
      cloneBase: clone,
      consoleToken,
      sharePassword,
      ...status,
      restartPending: false,
      guestAddresses: addresses,
    });
    return { id: identity.uuid, outs };
  },

  async read(id, props) {
    const old = props as WindowsVmOutputs;
    if (!old?.containerName) return { id, props };
    const context = hostContext(old.host);
    let volumeGone = false;
    try {
      await context.docker.getVolume(old.volumeName).inspect();
    } catch (error) {
      if (!isNotFound(error)) throw error;
      volumeGone = true;
    }
    const exists = await containerExists(context.docker, old.containerName);
    if (volumeGone && !exists) return { id: '' }; // the VM and its disks are gone: it leaves the state
    const status = await statusSummary(context, old.containerName);
    const running = exists && !status.phase.startsWith('stopped') && status.phase !== 'missing';
    // Secrets live in the container's tmpfs: a start Docker made alone (a host reboot with
    // autostart) has none until they are handed over again, here.
    if (running) await handOverSecretsAgain(context, old);
    const outs: WindowsVmOutputs = {
      ...old,
      phase: volumeGone ? 'storage missing' : status.phase,
      activeAccelerator: status.accelerator || old.activeAccelerator,
      // Drift shows in the next preview as a change of powerState (a stopped or removed container).
      powerState: running ? 'running' : 'stopped',
      containerId: exists ? old.containerId : '',
    };
    const values = outs as unknown as Record<string, unknown>;
    return { id, props: outs, inputs: { ...inputsOf(values), ...identityOutputsOf(values) } };
  },

  async update(_id, olds, news) {
    const old = olds as WindowsVmOutputs;
    const vm = parseInputs(news);
    const before = windowsVmInputs.parse(inputsOf(olds));
    const plan = planImpact(before, vm);
    if (!plan.ok) throw new Error(`${plan.field}: ${plan.message}`);
    const context = hostContext(vm.host);
    const identity = identityFor(old.vmUuid);
    const consoleToken = old.consoleToken || newConsoleToken();
    const sharePassword = old.sharePassword || newSharePassword();
    const pendingNowApplied = old.restartPending === true && vm.restartPolicy === 'apply';
    const wantsRestart = plan.tier === 'restart' || pendingNowApplied;
    const clone = cloneBaseOf(old);
    const spec = await vmSpecOnHost(context, vm, identity, { clone, mediaSha256: old.mediaSha256 });
    let launched: Launched = {
      containerId: old.containerId || old.containerName,
      spec,
      placement: toPlacement(vm, spec, {
        image: vm.image ?? context.image,
        stack: context.stack,
        knownHostPorts: old.publishedPorts ?? {},
        volumeName: old.volumeName,
        clone,
      }),
      warnings: old.warnings ?? [],
    };
    const restore = await plannedRestore(context, old, before, vm, spec);

    if (wantsRestart && vm.restartPolicy === 'pending') {
      return { outs: { ...old, ...vm, restartPending: true } };
    }
    const containerPresent = await containerExists(context.docker, old.containerName);
    const onlyRestore =
      restore !== undefined &&
      !pendingNowApplied &&
      plan.changes.every((c) => c.tier !== 'restart' || c.field === 'restoreFrom') &&
      (
        await context.docker
          .getContainer(old.containerName)
          .inspect()
          .catch(() => undefined)
      )?.State.Running === true;
    let restoredInPlace = false;
    if (onlyRestore && restore) {
      // The fast path: load the snapshot into the running VM (RAM, devices, disks, TPM).
      await restoreSnapshot({ docker: context.docker, container: old.containerName }, restore.tag, {
        secrets: vmSecrets(vm, launched.spec, { consoleToken, sharePassword }),
      });
      restoredInPlace = true;
    }
    if (!restoredInPlace && (wantsRestart || (!containerPresent && vm.powerState === 'running'))) {
      launched = await restartOnSameStorage(context, old, vm, identity, consoleToken, restore, sharePassword);
    } else {
      if (plan.changes.some((c) => c.field === 'systemDiskSize' || c.field === 'disks')) {
        await rewriteSpec(context.docker, old.containerName, launched.spec);
        const info = await context.docker.getContainer(old.containerName).inspect();
        if (info.State.Running) await growDisksLive(context, old.containerName, before, vm);
      }
      if (plan.changes.some((c) => c.field === 'recording')) {
        // Live: the supervisor reads its recording defaults from the spec at each start.
        await rewriteSpec(context.docker, old.containerName, launched.spec);
        const info = await context.docker.getContainer(old.containerName).inspect();
        if (info.State.Running)
          await applyRecordingChange(
            { docker: context.docker, container: old.containerName },
            before.recording,
            vm.recording,
          );
      }
      if (before.autostart !== vm.autostart) {
        await context.docker
          .getContainer(old.containerName)
          .update({ RestartPolicy: { Name: vm.autostart ? 'unless-stopped' : 'no' } });
      }
      if (before.powerState !== vm.powerState) {
        if (vm.powerState === 'stopped')
          await stopVmContainer(context.docker, old.containerName, vm.timeouts.shutdownSeconds);
        else
          await startVmContainer(
            context.docker,
            old.containerName,
            vmSecrets(vm, launched.spec, { consoleToken, sharePassword }),
          );
      }
    }
    if (
      vm.powerState === 'running' &&
      !restoredInPlace &&
      (wantsRestart || before.powerState !== vm.powerState || !containerPresent)
    ) {
      await startAndWait(context, vm, launched);
    }
    const status = await statusSummary(context, launched.containerId);
    const addresses =
      vm.powerState === 'running' && vm.guestAgent ? await guestAddresses(context, launched.containerId) : [];
    const outs = await describeVm(context, vm, identity, launched, {
      consoleToken,
      sharePassword,
      ...status,
      restartPending: false,
      guestAddresses: addresses,
      cloneBase: clone,
    });
    return { outs };
  },

  async delete(_id, props) {
    const old = props as WindowsVmOutputs;
    if (!old?.containerName) return;
    const context = hostContext(old.host);
    await stopVmContainer(context.docker, old.containerName, old.timeouts?.shutdownSeconds ?? 110);
    await removeContainer(context.docker, old.containerName);
    if (!old.retainStorageOnDelete) await removeVolume(context.docker, old.volumeName);
    // The last VM on the host takes the isolated network with it (kept while any container names it).
    if (!old.containerNetwork) await removeIsolatedNetworkIfUnused(context.docker).catch(() => undefined);
    // The last clone of a base takes the base with it (Docker refuses while others use it).
    const clone = cloneBaseOf(old);
    if (clone) await removeCloneBase(context.docker, clone.volume).catch(() => undefined);
  },
};
