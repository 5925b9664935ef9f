import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import { requireContainer, type ContainerInfo } from '../docker/containers';
import { isConflict } from '../docker/errors';
import { createVolume, removeVolume, volumeExists } from '../docker/volumes';
import type { ContainerPlacement } from '../docker/container-spec';
import { snapshotDelete, snapshotLoad, snapshotSave } from '../../lib/qmp/snapshots';
import { queryStatus } from '../../lib/qmp/vm-control';
import { CONTAINER_PATHS, diskPath, STORAGE_PATHS, withMacs, type VmSpec } from '../../contract';
import { connectVmAgent } from './agent-exec';
import { imageCacheMountsOf } from '../images/vm-spec';
import { connectVmQmp } from './qmp-exec';
import { snapshotNodesOf } from '../../contract/block-nodes';
import { hashOf, SNAPSHOTS_DIR, type SnapshotHardware } from './snapshot-record';
import { readSnapshotRecord, SnapshotError, type VmRef } from './snapshots';
import { isRunning, mustRun, readContainerSpec, runHelper } from './volume-files';

/**
 * A frozen clone base: the disks (and UEFI variables) of one snapshot of a VM, copied out of
 * its volume into a volume of their own, read-only, plus (optionally) the snapshot's RAM,
 * device and TPM state as a migration stream. Clones are qcow2 overlays over it; Docker
 * refuses to remove a volume a container uses, so the base stays while a clone uses it.
 */
export interface CloneBase {
  volume: string;
  /** Where clone containers mount it (read-only). */
  mountPath: string;
  tag: string;
  source: { vmUuid: string; vmName: string; snapshotTakenAt: string };
  /** Base file of each disk, by disk name, as seen inside a clone container. */
  disks: Record<string, string>;
  /** The UEFI variables at the snapshot (copied into each clone's volume). */
  vars?: string;
  /** The snapshot's RAM/device/TPM state (a migration stream), for clones that resume it. */
  state?: string;
  /** The kernel and initrd of a direct-boot VM (the stand-in guest). */
  bootDir?: string;
  hardware: SnapshotHardware;
  /** The source VM's spec at the time (clones that resume the state need the same devices). */
  sourceSpec: VmSpec;
}

const BASE_FILE = 'base.json';
export const BASE_LABEL = 'io.windock.clone-base';

export function baseVolumeName(spec: VmSpec, tag: string, takenAt: string): string {
  return `windock-base-${spec.name}-${tag}-${hashOf([spec.identity.uuid, tag, takenAt]).slice(0, 8)}`;
}

/**
 * Saves the RAM/device/TPM state of snapshot `tag` into a file in the VM's volume, by
 * migration, without losing the VM's current state: the current state is saved aside, the
 * snapshot loaded, migrated to the file while paused, and the current state loaded back.
 * The VM pauses for about four RAM transfers; its clock is set afterwards.
 */
async function exportSnapshotState(ref: VmRef, spec: VmSpec, tag: string, path: string): Promise<void> {
  const { vmstateNode, nodes } = snapshotNodesOf(spec);
  const aside = `__wdk-aside-${randomBytes(4).toString('hex')}`;
  const qmp = await connectVmQmp(ref.docker, ref.container);
  try {
    await snapshotSave(qmp, { tag: aside, vmstateNode, deviceNodes: nodes, timeoutMs: 600_000 });
    try {
      await snapshotLoad(qmp, { tag, vmstateNode, deviceNodes: nodes, timeoutMs: 600_000 });
      await qmp.execute('stop');
      await qmp.execute('migrate-set-parameters', { 'max-bandwidth': 64 * 1024 ** 3 });
      await qmp.execute('migrate', { uri: `exec:cat > '${path}'` });
      const deadline = Date.now() + 600_000;
      for (;;) {
        const info = await qmp.execute<{ status?: string; 'error-desc'?: string }>('query-migrate');
        if (info.status === 'completed') break;
        if (info.status === 'failed' || info.status === 'cancelled')
          throw new SnapshotError(
            `saving the state of "${tag}" failed: ${info['error-desc'] ?? info.status}`,
          );
        if (Date.now() > deadline)
          throw new SnapshotError(`saving the state of "${tag}" took more than 10 min`);
        await new Promise((r) => setTimeout(r, 50));
      }
      // After a migration the disks are handed over (inactive); cont takes them back.
      if (!(await queryStatus(qmp)).running) await qmp.execute('cont');
    } finally {
      await snapshotLoad(qmp, { tag: aside, vmstateNode, deviceNodes: nodes, timeoutMs: 600_000 });
      await snapshotDelete(qmp, { tag: aside, deviceNodes: nodes, timeoutMs: 600_000 });
    }
  } finally {
    await qmp.close().catch(() => undefined);
  }
  if (spec.guestAgent.enabled) {
    const agent = await connectVmAgent(ref.docker, ref.container, 10_000).catch(() => undefined);
    await agent?.setTime(new Date(), { timeoutMs: 15_000 }).catch(() => undefined);
    agent?.close();
  }
}

export interface PrepareCloneBaseOptions {
  /** Also keep the snapshot's RAM state (default: when the snapshot has it). Needs the VM running. */
  withMemory?: boolean;
}

/** The snapshot's record, checked for cloning: it exists, has memory if asked, and every disk is qcow2. */
async function cloneableSnapshot(ref: VmRef, spec: VmSpec, tag: string, options: PrepareCloneBaseOptions) {
  const record = await readSnapshotRecord(ref, tag);
  if (!record) throw new SnapshotError(`VM "${spec.name}" has no snapshot "${tag}" taken by windock`);
  const withMemory = options.withMemory ?? record.memory;
  if (withMemory && !record.memory)
    throw new SnapshotError(`snapshot "${tag}" of VM "${spec.name}" holds no memory state`);
  const nonQcow = spec.disks.filter((d) => d.format !== 'qcow2' || d.source.kind === 'block-device');
  if (nonQcow.length > 0)
    throw new SnapshotError(
      `VM "${spec.name}" has disks outside snapshots (${nonQcow.map((d) => d.name).join(', ')}): it cannot be cloned`,
    );
  return { record, withMemory };
}

/** Where the base of snapshot `tag` is and what it holds. Pure. */
function describeBase(
  spec: VmSpec,
  tag: string,
  record: { createdAt: string; hardware: SnapshotHardware },
  withMemory: boolean,
): CloneBase {
  const volume = baseVolumeName(spec, tag, record.createdAt);
  const mountPath = `/bases/${volume}`;
  return {
    volume,
    mountPath,
    tag,
    source: { vmUuid: spec.identity.uuid, vmName: spec.name, snapshotTakenAt: record.createdAt },
    disks: Object.fromEntries(spec.disks.map((d) => [d.name, `${mountPath}/disks/${d.name}.qcow2`])),
    hardware: record.hardware,
    sourceSpec: spec,
    ...(spec.firmware.type !== 'bios' ? { vars: `${mountPath}/firmware/vars.qcow2` } : {}),
    ...(withMemory ? { state: `${mountPath}/state` } : {}),
    ...(spec.boot.kind === 'kernel' ? { bootDir: `${mountPath}/boot` } : {}),
  };
}

/** Whether a whole base (with the state when asked) is there already; a half-made one is removed. */
async function reusableBase(
  ref: VmRef,
  image: string,
  base: CloneBase,
  withMemory: boolean,
): Promise<boolean> {
  if (!(await volumeExists(ref.docker, base.volume))) return false;
  const check = await runHelper(
    ref.docker,
    image,
    [{ volume: base.volume, target: '/base', readOnly: true }],
    `test -f /base/${BASE_FILE} && { [ -z "$1" ] || test -f /base/state; }`,
    [withMemory ? 'state' : ''],
  );
  if (check.exitCode === 0) return true;
  await removeVolume(ref.docker, base.volume).catch(() => undefined); // half made, or without the state: make it again
  return false;
}

/** Copies the snapshot's disks, firmware variables, boot files and (exported) state into /base. */
const COPY_BASE_SCRIPT = [
  'set -e',
  'tag="$1"; state="$2"; shift 2',
  'mkdir -p /base/disks /base/firmware',
  // The disks as they were at the snapshot (-U: the VM may be running; a snapshot never changes).
  'for f in "$@"; do qemu-img convert -U -f qcow2 -O qcow2 -l "snapshot.name=$tag" "/source$f" "/base$f"; done',
  `if [ -f /source/firmware/vars.qcow2 ]; then qemu-img convert -U -f qcow2 -O qcow2 -l "snapshot.name=$tag" /source/firmware/vars.qcow2 /base/firmware/vars.qcow2; fi`,
  'if [ -d /source/boot ]; then cp -r /source/boot /base/boot; fi',
  'if [ -n "$state" ]; then cp "/source$state" /base/state; rm -f "/source$state"; fi',
  'chmod -R a-w /base/disks /base/firmware',
  `printf '%s\\n' "$tag" > /base/${BASE_FILE}`,
].join('\n');

/** Fills a new base volume from the VM's volume; the volume goes again when that fails. */
async function fillBase(ref: VmRef, spec: VmSpec, info: ContainerInfo, base: CloneBase, exportPath?: string) {
  const sourceVolume = info.Mounts.find((m) => m.Destination === CONTAINER_PATHS.storage)?.Name;
  if (!sourceVolume) throw new Error(`container ${ref.container} has no storage volume`);
  await createVolume(ref.docker, base.volume, {
    [BASE_LABEL]: 'true',
    'io.windock.uuid': spec.identity.uuid,
    'io.windock.snapshot': base.tag,
  });
  const files = spec.disks.map((d) => diskPath(d.name, d.format).replace(CONTAINER_PATHS.storage, ''));
  const mounts = [
    { volume: sourceVolume, target: '/source' },
    { volume: base.volume, target: '/base' },
    // A disk over a cached image reads its base there (flattened into the clone base).
    ...imageCacheMountsOf(info.Mounts),
  ];
  const state = exportPath ? exportPath.replace(CONTAINER_PATHS.storage, '') : '';
  try {
    await mustRun(
      runHelper(ref.docker, info.Config.Image, mounts, COPY_BASE_SCRIPT, [base.tag, state, ...files]),
      `making the clone base of "${base.tag}"`,
    );
  } catch (error) {
    await removeVolume(ref.docker, base.volume).catch(() => undefined);
    throw error;
  }
}

/**
 * Makes (or finds) the frozen clone base of snapshot `tag` of a VM, on the VM's host. The VM
 * keeps running; the base is made once and reused by every clone.
 */
export async function prepareCloneBase(
  ref: VmRef,
  tag: string,
  options: PrepareCloneBaseOptions = {},
): Promise<CloneBase> {
  const spec = await readContainerSpec(ref.docker, ref.container);
  const { record, withMemory } = await cloneableSnapshot(ref, spec, tag, options);
  const info = await requireContainer(ref.docker, ref.container);
  if (!info.Mounts.some((m) => m.Destination === CONTAINER_PATHS.storage && m.Name))
    throw new Error(`container ${ref.container} has no storage volume`);
  const base = describeBase(spec, tag, record, withMemory);
  if (await reusableBase(ref, info.Config.Image, base, withMemory)) return base;
  const exportPath = withMemory ? `${SNAPSHOTS_DIR}/.export-${tag}.state` : undefined;
  if (exportPath) {
    if (!(await isRunning(ref.docker, ref.container)))
      throw new SnapshotError(`VM "${spec.name}" must run to save the memory state of "${tag}" for clones`);
    await exportSnapshotState(ref, spec, tag, exportPath);
  }
  await fillBase(ref, spec, info, base, exportPath);
  return base;
}

/** Removes a clone base; refused (clearly) while a clone still uses it. */
export async function removeCloneBase(docker: Dockerode, volume: string): Promise<void> {
  try {
    await removeVolume(docker, volume);
  } catch (error) {
    if (isConflict(error))
      throw new SnapshotError(`clone base ${volume} is still used by a clone: delete its clones first`, {
        cause: error,
      });
    throw error;
  }
}

/** What changes in a VM spec to make it a linked clone of `base`. Pure. */
export function cloneDisks(base: CloneBase, spec: VmSpec): VmSpec['disks'] {
  return spec.disks.map((disk) => {
    const file = base.disks[disk.name];
    if (!file) return disk;
    return { ...disk, format: 'qcow2' as const, source: { kind: 'overlay' as const, base: file } };
  });
}

/**
 * The spec of a copy that resumes the base's saved state: the source's hardware and devices
 * exactly (the state needs them), its own name and identity, no published ports or console.
 */
export function resumedCopySpec(
  base: CloneBase,
  name: string,
  identity: { uuid: string; serial: string; mac: string },
): VmSpec {
  const source = base.sourceSpec;
  if (!base.state) throw new SnapshotError(`clone base ${base.volume} holds no memory state`);
  const boot =
    source.boot.kind === 'kernel' && base.bootDir
      ? {
          ...source.boot,
          kernel: source.boot.kernel.replace(STORAGE_PATHS.bootDir, base.bootDir),
          initrd: source.boot.initrd.replace(STORAGE_PATHS.bootDir, base.bootDir),
        }
      : source.boot;
  return {
    ...source,
    name,
    identity: { uuid: identity.uuid, serial: identity.serial },
    boot,
    disks: cloneDisks(base, source),
    network: withMacs(source.network, identity.mac, { noPorts: true }),
    console: { ...source.console, enabled: false, auth: { kind: 'none' } },
    restore: { kind: 'state-file', path: base.state },
    allowReinstall: false,
  };
}

/** The mount a clone container needs for its base. */
export function baseMount(base: CloneBase): NonNullable<ContainerPlacement['extraVolumes']>[number] {
  return { volume: base.volume, target: base.mountPath, readOnly: true };
}

/**
 * Fills a new clone's volume before its first start: the UEFI variables of the snapshot
 * (the disks are made by the image as overlays over the base).
 */
export async function seedCloneVolume(
  docker: Dockerode,
  image: string,
  base: CloneBase,
  volume: string,
): Promise<void> {
  if (!base.vars) return;
  await mustRun(
    runHelper(
      docker,
      image,
      [{ volume, target: CONTAINER_PATHS.storage }, baseMount(base)],
      'mkdir -p /storage/firmware && [ -f /storage/firmware/vars.qcow2 ] || cp "$1" /storage/firmware/vars.qcow2',
      [base.vars],
    ),
    'copying the UEFI variables into the clone',
  );
}
