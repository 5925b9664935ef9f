import { randomUUID } from 'node:crypto';
import type * as dynamic from '@pulumi/pulumi/dynamic';
import { hostConfigFor, parseProviderSettings, type ProviderSettings } from '../../config/provider-config';
import { isConflict, isNotFound } from '../../docker/errors';
import type { HostGpuInventory } from '../../gpu/discover';
import { applySysfsWrites, readHostInventory, type GpuHostAccess } from '../../gpu/helper';
import { resolvedRomFile, romFileRefusal } from '../../security/rom-file';
import {
  bindWrites,
  mdevCreateWrites,
  mdevRemoveWrites,
  restoreWrites,
  type SysfsWrite,
} from '../../gpu/host-steps';
import { planPassthrough, type PassthroughPlan } from '../../gpu/plan';
import {
  acquireReservation,
  containersUsing,
  describeHolder,
  GPU_LABELS,
  lockHolder,
  releaseReservation,
} from '../../gpu/reservation';
import { sharedHostPool } from '../../hosts';
import type { PassthroughDeviceSpec } from '../../../contract/passthrough';
import { checkGpuAssignment, diffGpuAssignment, gpuRequestOf } from './check';
import { recordNameFor } from './for-vm';
import { gpuAssignmentInputs, type GpuAssignmentInputs } from './inputs';
import { GPU_STATE_VERSION, gpuInputsOf, type GpuAssignmentOutputs } from './outputs';

let settings: ProviderSettings = parseProviderSettings(() => undefined, '');
/** The hosts' sysfs: /sys; a test points it at a synthetic tree (windock:gpuSysfsRoot). */
let sysfsRoot = '/sys';

const TIMEOUT_MS = 60_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what} did not answer within ${TIMEOUT_MS / 1000} s`)),
        TIMEOUT_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

function currentStack(): string {
  try {
    return require('@pulumi/pulumi').getStack() as string;
  } catch {
    return '';
  }
}

function access(host: string): GpuHostAccess {
  return {
    docker: sharedHostPool().get(hostConfigFor(settings, host)),
    hostName: host,
    image: settings.image,
    sysfsRoot,
  };
}

const ownerOf = (inputs: GpuAssignmentInputs) =>
  `${inputs.owner || settings.stack || 'a stack'}/${inputs.name}`;

function targetsOf(plan: PassthroughPlan): string[] {
  return plan.mode === 'mdev' ? [plan.mdev!.uuid] : plan.functions.map((f) => f.address);
}

async function plan(inventory: HostGpuInventory, inputs: GpuAssignmentInputs): Promise<PassthroughPlan> {
  const outcome = planPassthrough(inventory, gpuRequestOf(inputs));
  if (!outcome.ok) throw new Error(outcome.failures.map((f) => f.reason).join('\n'));
  return outcome;
}

/** Preview: everything the host must offer, and nobody else holding the GPU. */
async function preflight(inputs: GpuAssignmentInputs): Promise<Array<{ property: string; reason: string }>> {
  let host: GpuHostAccess;
  try {
    host = access(inputs.host);
  } catch (error) {
    return [{ property: 'host', reason: `host: ${(error as Error).message}` }];
  }
  let inventory: HostGpuInventory;
  try {
    inventory = await withTimeout(readHostInventory(host), `GPU discovery on host "${inputs.host}"`);
  } catch (error) {
    return [{ property: 'host', reason: `host: ${(error as Error).message}` }];
  }
  const outcome = planPassthrough(inventory, gpuRequestOf(inputs));
  if (!outcome.ok) return outcome.failures;
  const failures: Array<{ property: string; reason: string }> = [];
  for (const target of targetsOf(outcome)) {
    const holder = await lockHolder(host.docker, target);
    if (holder && holder.owner !== ownerOf(inputs))
      failures.push({ property: 'select', reason: `select: ${describeHolder(holder, inputs.host)}` });
  }
  if (inputs.romFile) {
    // Resolved on the host (links, bind mounts), inside its allowedHostPaths (issue 15).
    const refusal = await romFileRefusal(host, hostConfigFor(settings, inputs.host), inputs.romFile);
    if (refusal) failures.push({ property: 'romFile', reason: refusal });
  }
  return failures;
}

async function createRecord(
  host: GpuHostAccess,
  assignmentId: string,
  inputs: GpuAssignmentInputs,
  owner: string,
  device: PassthroughDeviceSpec,
): Promise<void> {
  try {
    await host.docker.createContainer({
      name: recordNameFor(assignmentId),
      Image: host.image,
      Entrypoint: ['true'],
      Cmd: [],
      Labels: {
        [GPU_LABELS.managed]: 'true',
        'io.windock.gpu.record': 'true',
        [GPU_LABELS.assignment]: assignmentId,
        [GPU_LABELS.owner]: owner,
        [GPU_LABELS.vm]: inputs.vm,
        [GPU_LABELS.device]: JSON.stringify(device),
        ...Object.fromEntries(Object.entries(inputs.labels).map(([k, v]) => [`user.${k}`, v])),
      },
      NetworkDisabled: true,
      HostConfig: { NetworkMode: 'none', RestartPolicy: { Name: 'no' }, CapDrop: ['ALL'] },
    });
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
}

async function removeRecord(host: GpuHostAccess, assignmentId: string): Promise<void> {
  try {
    const record = host.docker.getContainer(recordNameFor(assignmentId));
    const labels = (await record.inspect()).Config.Labels ?? {};
    if (labels[GPU_LABELS.assignment] === assignmentId) await record.remove({ force: true });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/** What to write to undo windock's host changes, from the recorded list ("bound 0000:01:00.0", "created-mdev <uuid>"). */
function undoWrites(changes: string[]): SysfsWrite[] {
  const writes: SysfsWrite[] = [];
  for (const change of [...changes].reverse()) {
    const [kind, target] = change.split(' ');
    if (kind === 'bound' && target) writes.push(...restoreWrites(target));
    if (kind === 'created-mdev' && target) writes.push(...mdevRemoveWrites(target));
  }
  return writes;
}

export const gpuAssignmentProvider: dynamic.ResourceProvider = {
  async configure(request) {
    settings = parseProviderSettings((key) => request.config.get(key), currentStack());
    sysfsRoot = request.config.get('windock:gpuSysfsRoot') ?? '/sys';
  },

  async check(olds, news) {
    const outcome = checkGpuAssignment(olds ?? {}, news ?? {});
    if (!outcome.ok) return { inputs: news, failures: outcome.failures };
    if (outcome.unknown) return { inputs: outcome.inputs };
    const failures = outcome.preflight ? await preflight(outcome.inputs) : [];
    return failures.length > 0 ? { inputs: news, failures } : { inputs: outcome.inputs };
  },

  async diff(_id, olds, news) {
    return diffGpuAssignment(olds, news);
  },

  async create(raw) {
    const inputs = gpuAssignmentInputs.parse(gpuInputsOf(raw));
    const host = access(inputs.host);
    const owner = ownerOf(inputs);
    // The ROM is resolved on the host again at create, and the resolved file is what the VM mounts.
    const romFile = inputs.romFile
      ? await resolvedRomFile(host, hostConfigFor(settings, inputs.host), inputs.romFile)
      : undefined;
    let planned = await plan(
      await withTimeout(readHostInventory(host), `GPU discovery on host "${inputs.host}"`),
      { ...inputs, romFile },
    );
    const assignmentId = randomUUID();
    const targets = targetsOf(planned);
    const locks = await acquireReservation(host.docker, host.image, inputs.host, {
      assignmentId,
      owner,
      vm: inputs.vm,
      mode: planned.mode,
      parent: planned.parent,
      targets,
    });
    const hostChanges: string[] = [];
    const driversBefore: Record<string, string> = {};
    try {
      if (inputs.bindVfio && planned.mdev && !planned.mdev.exists) {
        await applySysfsWrites(
          host,
          mdevCreateWrites(planned.mdev.parent, planned.mdev.type, planned.mdev.uuid),
          `creating mediated device ${planned.mdev.uuid}`,
        );
        hostChanges.push(`created-mdev ${planned.mdev.uuid}`);
      }
      if (inputs.bindVfio && planned.toBind.length > 0) {
        for (const fn of planned.toBind) {
          if (fn.driver) driversBefore[fn.address] = fn.driver;
          await applySysfsWrites(host, bindWrites(fn.address), `binding ${fn.address} to vfio-pci`);
          hostChanges.push(`bound ${fn.address}`);
        }
      }
      if (hostChanges.length > 0) {
        const after = await readHostInventory(host);
        for (const fn of planned.toBind) {
          const now = after.functions.find((f) => f.address === fn.address)?.driver;
          if (now !== 'vfio-pci')
            throw new Error(
              `${fn.address} is on ${now ?? 'no driver'} after binding, not vfio-pci: something on host "${inputs.host}" still uses it (see the warnings of preview)`,
            );
        }
        planned = await plan(after, { ...inputs, romFile, bindVfio: true });
      }
      if (!planned.device)
        throw new Error(
          `the mediated device ${planned.mdev?.uuid} has no IOMMU group on host "${inputs.host}" after it was created`,
        );
      await createRecord(host, assignmentId, inputs, owner, planned.device);
    } catch (error) {
      await applySysfsWrites(host, undoWrites(hostChanges), 'undoing the host changes').catch(
        () => undefined,
      );
      await releaseReservation(host.docker, assignmentId, targets).catch(() => undefined);
      throw error;
    }
    const primary = planned.gpu.functions[0]!;
    const outs: GpuAssignmentOutputs = {
      ...inputs,
      stateVersion: GPU_STATE_VERSION,
      assignmentId,
      pciAddress: planned.address,
      parentAddress: planned.parent,
      mode: planned.mode,
      vendor: planned.gpu.vendor,
      model: planned.gpu.nvidia?.name ?? `${primary.vendorId}:${primary.deviceId}`,
      targets,
      iommuGroups: [
        ...new Set(
          planned.device.kind === 'pci'
            ? planned.device.functions.map((f) => f.iommuGroup)
            : [planned.device.iommuGroup],
        ),
      ],
      resolvedMdevUuid: planned.mdev?.uuid ?? '',
      driversBefore,
      hostChanges,
      lockContainers: locks,
      device: planned.device,
      reservation: 'reserved',
      warnings: planned.warnings,
    };
    return { id: assignmentId, outs };
  },

  async read(id, props) {
    const old = props as GpuAssignmentOutputs;
    if (!old?.assignmentId) return { id, props };
    const host = access(old.host);
    let reserved = true;
    for (const target of old.targets ?? []) {
      const holder = await lockHolder(host.docker, target);
      if (holder?.assignment !== old.assignmentId) reserved = false;
    }
    try {
      await host.docker.getContainer(recordNameFor(old.assignmentId)).inspect();
    } catch (error) {
      if (!isNotFound(error)) throw error;
      reserved = false;
    }
    const outs = { ...old, reservation: reserved ? 'reserved' : 'lost' };
    return { id, props: outs, inputs: gpuInputsOf(outs as unknown as Record<string, unknown>) };
  },

  async update(_id, olds, news) {
    const old = olds as GpuAssignmentOutputs;
    const inputs = gpuAssignmentInputs.parse(gpuInputsOf(news));
    if (old.reservation !== 'lost') return { outs: { ...old, ...inputs } };
    // The lock was lost (a prune): take the same targets again, or fail naming who has them now.
    const host = access(inputs.host);
    const locks = await acquireReservation(host.docker, host.image, inputs.host, {
      assignmentId: old.assignmentId,
      owner: ownerOf(inputs),
      vm: inputs.vm,
      mode: old.mode as PassthroughPlan['mode'],
      parent: old.parentAddress,
      targets: old.targets,
    });
    if (old.device) await createRecord(host, old.assignmentId, inputs, ownerOf(inputs), old.device);
    return { outs: { ...old, ...inputs, lockContainers: locks, reservation: 'reserved' } };
  },

  async delete(_id, props) {
    const old = props as GpuAssignmentOutputs;
    if (!old?.assignmentId) return;
    const host = access(old.host);
    const users = await containersUsing(host.docker, old.targets ?? []);
    if (users.length > 0) {
      throw new Error(
        `GPU assignment ${old.assignmentId} (${old.pciAddress} on host "${old.host}") is in use by container(s) ${users.join(', ')}: ` +
          'remove `gpu` from that VM (or destroy the VM) first; its QEMU holds the device',
      );
    }
    // Undo only what windock did, and only while it still holds the reservation.
    const holders = await Promise.all((old.targets ?? []).map((t) => lockHolder(host.docker, t)));
    const stillOurs = holders.every((h) => !h || h.assignment === old.assignmentId);
    if (stillOurs && old.hostChanges?.length)
      await applySysfsWrites(
        host,
        undoWrites(old.hostChanges),
        `giving ${old.pciAddress} back to its driver`,
      );
    const { foreign } = await releaseReservation(host.docker, old.assignmentId, old.targets ?? []);
    await removeRecord(host, old.assignmentId);
    for (const holder of foreign)
      console.log(
        `windock: left ${holder.name} alone: ${describeHolder(holder, old.host)}, not by this assignment`,
      );
  },
};
