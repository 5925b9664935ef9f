import { containerExists, createContainer, inspectContainer, removeContainer } from '../../docker/containers';
import { randomUUID } from 'node:crypto';
import type * as dynamic from '@pulumi/pulumi/dynamic';
import { isConflict } from '../../docker/errors';
import type { HostGpuInventory } from '../../gpu/discover';
import { applySysfsWrites, readHostInventory, type GpuHostAccess } from '../../gpu/helper';
import { resolvedRomFile, romFileRefusal } from '../../security/rom-file';
import { planPassthrough, type PassthroughPlan } from '../../gpu/plan';
import {
  acquireReservation,
  containersUsing,
  describeHolder,
  GPU_LABELS,
  lockHolder,
  releaseReservation,
} from '../../gpu/reservation';
import { stackSettings } from '../common/stack-settings';
import type { PassthroughDeviceSpec } from '../../../contract/passthrough';
import { checkGpuAssignment, diffGpuAssignment, gpuRequestOf } from './check';
import { recordNameFor } from './for-vm';
import { gpuAssignmentInputs, type GpuAssignmentInputs } from './inputs';
import { gpuInputsOf, type GpuAssignmentOutputs } from './outputs';
import { createdOutputs } from './created-outputs';
import { newChangeLog, undoHostChanges, undoWrites } from './host-changes';
import { planOrThrow, readyDevice, type ReadyDevice } from './ready-device';

/** The hosts' sysfs: /sys; a test points it at a synthetic tree (windock:gpuSysfsRoot). */
const sysfsRoot = () => stackSettings.config('windock:gpuSysfsRoot') ?? '/sys';

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

function access(host: string): GpuHostAccess {
  return {
    docker: stackSettings.docker(host),
    hostName: host,
    image: stackSettings.current.image,
    sysfsRoot: sysfsRoot(),
  };
}

const ownerOf = (inputs: GpuAssignmentInputs) =>
  `${inputs.owner || stackSettings.current.stack || 'a stack'}/${inputs.name}`;

/** What is locked: the mediated device, or the PCI functions passed. */
function targetsOf(plan: PassthroughPlan): string[] {
  return plan.mdev ? [plan.mdev.uuid] : plan.functions.map((f) => f.address);
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
    const refusal = await romFileRefusal(host, stackSettings.hostConfig(inputs.host), inputs.romFile);
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
    await createContainer(host.docker, {
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
  const record = await inspectContainer(host.docker, recordNameFor(assignmentId));
  if (record?.Config.Labels?.[GPU_LABELS.assignment] === assignmentId)
    await removeContainer(host.docker, recordNameFor(assignmentId), { volumes: false });
}

export const gpuAssignmentProvider: dynamic.ResourceProvider = {
  async configure(request) {
    stackSettings.configure(request);
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
      ? await resolvedRomFile(host, stackSettings.hostConfig(inputs.host), inputs.romFile)
      : undefined;
    const request = { ...inputs, romFile };
    const planned = planOrThrow(
      await withTimeout(readHostInventory(host), `GPU discovery on host "${inputs.host}"`),
      request,
    );
    const assignmentId = randomUUID();
    const targets = targetsOf(planned);
    const lockContainers = await acquireReservation(host.docker, host.image, inputs.host, {
      assignmentId,
      owner,
      vm: inputs.vm,
      mode: planned.mode,
      parent: planned.parent,
      targets,
    });
    const log = newChangeLog();
    let ready: ReadyDevice;
    try {
      ready = await readyDevice(host, request, planned, log);
      await createRecord(host, assignmentId, inputs, owner, ready.device);
    } catch (error) {
      await undoHostChanges(host, log);
      await releaseReservation(host.docker, assignmentId, targets).catch(() => undefined);
      throw error;
    }
    const outs = createdOutputs({ inputs, assignmentId, ready, targets, log, lockContainers });
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
    if (!(await containerExists(host.docker, recordNameFor(old.assignmentId)))) reserved = false;
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
