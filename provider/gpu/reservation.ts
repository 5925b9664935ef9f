import { createContainer, inspectContainer, listContainers, removeContainer } from '../docker/containers';
import type { DockerEngine } from '../docker/engine';
import { isConflict, isNotFound } from '../docker/errors';
import { passthroughDeviceSpec, type PassthroughDeviceSpec } from '../../contract/passthrough';
import type { PassthroughMode } from './plan';

/**
 * A GPU reservation is a set of Docker objects on the host whose creation is atomic and
 * exclusive: one created-never-started container per reserved PCI function (or mediated
 * device), named after it. Docker refuses a second container of the same name (409) however
 * many stacks or `pulumi up`s race, so exactly one reservation wins. The containers carry
 * the owner in labels; only the owner releases them.
 *
 * Whole GPUs and their SR-IOV functions / mediated devices exclude each other too: every lock
 * names its physical GPU (`parent`); after creating its own locks a reservation looks for
 * locks of the same parent in a conflicting mode and backs off if there are any. Both racers
 * create before they look, so at least one sees the other: never both win.
 */
export const GPU_LABELS = {
  managed: 'io.windock.managed',
  lock: 'io.windock.gpu.lock',
  assignment: 'io.windock.gpu.assignment',
  owner: 'io.windock.gpu.owner',
  vm: 'io.windock.gpu.vm',
  target: 'io.windock.gpu.target',
  parent: 'io.windock.gpu.parent',
  mode: 'io.windock.gpu.mode',
  role: 'io.windock.gpu.role',
  device: 'io.windock.gpu.device',
} as const;

/** The label a VM container carries per passed-through function/mdev (provider/gpu/container.ts). */
export function inUseLabel(target: string): string {
  return `io.windock.vfio.${target.replace(/:/g, '-')}`;
}

/** "0000:01:00.0" → "windock-gpu-0000-01-00.0"; an mdev UUID → "windock-gpu-mdev-<uuid>". */
export function lockNameFor(target: string): string {
  return /^[0-9a-f]{8}-/.test(target)
    ? `windock-gpu-mdev-${target}`
    : `windock-gpu-${target.replace(/:/g, '-')}`;
}

export interface Reservation {
  assignmentId: string;
  /** "<stack>/<resource name>": who holds it, for the messages of those who do not. */
  owner: string;
  vm: string;
  mode: PassthroughMode;
  parent: string;
  /** What is locked: the PCI functions passed (whole GPU / VF), or the mdev UUID. */
  targets: string[];
  /** The device for the VM's spec (on the first lock). */
  device?: PassthroughDeviceSpec;
}

export class GpuReservedError extends Error {
  constructor(
    message: string,
    readonly holder: { owner?: string; vm?: string; assignment?: string },
  ) {
    super(message);
    this.name = 'GpuReservedError';
  }
}

export interface LockHolder {
  name: string;
  assignment: string;
  owner: string;
  vm: string;
  target: string;
  parent: string;
  mode: string;
  device?: PassthroughDeviceSpec;
}

function holderFrom(name: string, labels: Record<string, string> | undefined): LockHolder | undefined {
  if (!labels || labels[GPU_LABELS.lock] !== 'true') return undefined;
  let device: PassthroughDeviceSpec | undefined;
  if (labels[GPU_LABELS.device]) {
    const parsed = passthroughDeviceSpec.safeParse(JSON.parse(labels[GPU_LABELS.device]!));
    if (parsed.success) device = parsed.data;
  }
  return {
    name: name.replace(/^\//, ''),
    assignment: labels[GPU_LABELS.assignment] ?? '',
    owner: labels[GPU_LABELS.owner] ?? '',
    vm: labels[GPU_LABELS.vm] ?? '',
    target: labels[GPU_LABELS.target] ?? '',
    parent: labels[GPU_LABELS.parent] ?? '',
    mode: labels[GPU_LABELS.mode] ?? '',
    device,
  };
}

/** Who holds the lock of one target, if anyone. */
export async function lockHolder(docker: DockerEngine, target: string): Promise<LockHolder | undefined> {
  const name = lockNameFor(target);
  const info = await inspectContainer(docker, name);
  if (!info) return undefined;
  return (
    holderFrom(name, info.Config.Labels) ?? {
      name,
      assignment: '',
      owner: '(not a windock lock)',
      vm: '',
      target,
      parent: '',
      mode: '',
    }
  );
}

export async function locksOf(
  docker: DockerEngine,
  filter: { assignment?: string; parent?: string },
): Promise<LockHolder[]> {
  const labels = [`${GPU_LABELS.lock}=true`];
  if (filter.assignment) labels.push(`${GPU_LABELS.assignment}=${filter.assignment}`);
  if (filter.parent) labels.push(`${GPU_LABELS.parent}=${filter.parent}`);
  const list = await listContainers(docker, { label: labels });
  return list
    .flatMap((c) => holderFrom(c.Names[0] ?? c.Id, c.Labels) ?? [])
    .sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
}

export function describeHolder(holder: LockHolder, host: string): string {
  return `${holder.target} on host "${host}" is reserved by ${holder.owner || 'someone else'}${holder.vm ? ` for VM "${holder.vm}"` : ''} (lock container ${holder.name})`;
}

/** The holder after a 409: Docker reserves a name before the container can be inspected, so look again briefly. */
async function settledHolder(docker: DockerEngine, target: string): Promise<LockHolder | undefined> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const holder = await lockHolder(docker, target);
    if (holder) return holder;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

async function removeOwn(docker: DockerEngine, names: string[], assignmentId: string): Promise<void> {
  for (const name of names) {
    const info = await inspectContainer(docker, name);
    if (info?.Config.Labels?.[GPU_LABELS.assignment] === assignmentId)
      await removeContainer(docker, name, { volumes: false });
  }
}

/**
 * Reserves every target, or none: creates the lock containers in a fixed order and, on the
 * first conflict, removes the ones it made and throws who holds the target.
 */
export async function acquireReservation(
  docker: DockerEngine,
  image: string,
  host: string,
  reservation: Reservation,
): Promise<string[]> {
  const targets = [...reservation.targets].sort();
  const made: string[] = [];
  for (const [i, target] of targets.entries()) {
    const name = lockNameFor(target);
    const labels: Record<string, string> = {
      [GPU_LABELS.managed]: 'true',
      [GPU_LABELS.lock]: 'true',
      [GPU_LABELS.assignment]: reservation.assignmentId,
      [GPU_LABELS.owner]: reservation.owner,
      [GPU_LABELS.vm]: reservation.vm,
      [GPU_LABELS.target]: target,
      [GPU_LABELS.parent]: reservation.parent,
      [GPU_LABELS.mode]: reservation.mode,
      [GPU_LABELS.role]: i === 0 ? 'primary' : 'member',
    };
    if (i === 0 && reservation.device) labels[GPU_LABELS.device] = JSON.stringify(reservation.device);
    try {
      await createContainer(docker, {
        name,
        Image: image,
        // Never started; if someone starts it, it exits at once and stays (hardened as a helper).
        Entrypoint: ['true'],
        Cmd: [],
        Labels: labels,
        NetworkDisabled: true,
        HostConfig: {
          NetworkMode: 'none',
          RestartPolicy: { Name: 'no' },
          CapDrop: ['ALL'],
          SecurityOpt: ['no-new-privileges:true'],
          ReadonlyRootfs: true,
        },
      });
      made.push(name);
    } catch (error) {
      await removeOwn(docker, made, reservation.assignmentId);
      if (isConflict(error)) {
        const holder = await settledHolder(docker, target);
        if (holder && holder.assignment === reservation.assignmentId) {
          made.push(name); // ours already (a retried create)
          continue;
        }
        throw new GpuReservedError(
          holder
            ? describeHolder(holder, host)
            : `${target} on host "${host}" is reserved (lock container ${name})`,
          holder ?? {},
        );
      }
      if (isNotFound(error))
        throw new Error(
          `the image "${image}" is not on host "${host}": GPU reservations are containers made from it`,
          { cause: error },
        );
      throw error;
    }
  }
  // A whole GPU excludes its virtual functions and mediated devices, and they exclude it.
  const family = await locksOf(docker, { parent: reservation.parent });
  const clash = family.find(
    (l) => l.assignment !== reservation.assignmentId && (reservation.mode === 'whole' || l.mode === 'whole'),
  );
  if (clash) {
    await removeOwn(docker, made, reservation.assignmentId);
    const what =
      reservation.mode === 'whole'
        ? `GPU ${reservation.parent} is partly in use: `
        : `GPU ${reservation.parent} is reserved whole: `;
    throw new GpuReservedError(what + describeHolder(clash, host), clash);
  }
  return made;
}

/**
 * Releases what this assignment holds. A lock held by anyone else is never removed: it is
 * reported and left alone (this assignment holds nothing there any more).
 */
export async function releaseReservation(
  docker: DockerEngine,
  assignmentId: string,
  targets: string[],
): Promise<{ released: string[]; foreign: LockHolder[] }> {
  const released: string[] = [];
  const foreign: LockHolder[] = [];
  for (const target of targets) {
    const holder = await lockHolder(docker, target);
    if (!holder) continue;
    if (holder.assignment !== assignmentId) {
      foreign.push(holder);
      continue;
    }
    if (await removeContainer(docker, holder.name, { volumes: false })) released.push(holder.name);
  }
  return { released, foreign };
}

/** Containers (VMs) other than locks that use one of these targets. */
export async function containersUsing(docker: DockerEngine, targets: string[]): Promise<string[]> {
  const names = new Set<string>();
  for (const target of targets) {
    const list = await listContainers(docker, { label: [inUseLabel(target)] });
    for (const c of list) names.add((c.Names[0] ?? c.Id).replace(/^\//, ''));
  }
  return [...names];
}
