import { diskNodeName, FIRMWARE_VARS_NODE, snapshotNodesOf } from '../../contract/block-nodes';
import type Dockerode from 'dockerode';
import { startVmContainer } from '../docker/vm-secrets';
import type { GuestAgentClient } from '../agent/guest-agent-client';
import { listSnapshots, type SnapshotInfo } from '../../lib/qmp/list-snapshots';
import type { QmpClient } from '../../lib/qmp/qmp-client';
import { recoverAfterFailedLoad, snapshotDelete, snapshotLoad, snapshotSave } from '../../lib/qmp/snapshots';
import { SnapshotLoadError } from '../../lib/qmp/errors';
import { diskPath, STORAGE_PATHS, type VmSpec } from '../../contract';
import { connectVmAgent } from './agent-exec';
import { stopVmContainer } from './power';
import { connectVmQmp } from './qmp-exec';
import { waitForReadiness } from './readiness';
import {
  hardwareDifferences,
  hardwareOf,
  hashOf,
  newRecord,
  snapshotRecord,
  snapshotRecordPath,
  snapshotTag,
  SNAPSHOTS_DIR,
  type SnapshotRecord,
} from './snapshot-record';
import {
  isRunning,
  mustRun,
  readContainerDir,
  readContainerFile,
  readContainerSpec,
  runVolumeTool,
  writeStorageFiles,
} from './volume-files';

/** A VM on a host: its Docker client and container (name or id). */
export interface VmRef {
  docker: Dockerode;
  container: string;
}

/** A snapshot operation that could not be done; the VM is left as it was (see the message). */
export class SnapshotError extends Error {
  override readonly name: string = 'SnapshotError';
}

export interface TakeSnapshotOptions {
  tag: string;
  /** With RAM, device and TPM state (the VM pauses while saving), or the disks only. */
  memory: boolean;
  description?: string;
  /** Deadline of the save job. Default 10 min. */
  timeoutMs?: number;
}

export interface VmSnapshot {
  tag: string;
  /** From QEMU: bytes of RAM/device state (0 for a disk-only snapshot). */
  vmStateBytes: number;
  takenAt: Date;
  /** windock's record (hardware, description); undefined for a snapshot made outside windock. */
  record?: SnapshotRecord;
}

const specHashOf = (spec: VmSpec) => hashOf(spec);

function checkTag(tag: string): void {
  const parsed = snapshotTag.safeParse(tag);
  if (!parsed.success) throw new SnapshotError(`snapshot name "${tag}": ${parsed.error.issues[0]?.message}`);
}

function requireSnapshots(spec: VmSpec): void {
  if (!spec.snapshots.enabled) {
    throw new SnapshotError(
      `VM "${spec.name}" was started with snapshots disabled (snapshots: false): enable them (a restart) first`,
    );
  }
}

async function withQmp<T>(ref: VmRef, body: (qmp: QmpClient) => Promise<T>): Promise<T> {
  const qmp = await connectVmQmp(ref.docker, ref.container);
  try {
    return await body(qmp);
  } finally {
    await qmp.close().catch(() => undefined);
  }
}

async function tryAgent(ref: VmRef, spec: VmSpec, timeoutMs: number): Promise<GuestAgentClient | undefined> {
  if (!spec.guestAgent.enabled) return undefined;
  return connectVmAgent(ref.docker, ref.container, timeoutMs).catch(() => undefined);
}

/** Snapshots on the system disk node (where windock keeps every snapshot), by tag. */
async function qemuSnapshots(qmp: QmpClient, node: string): Promise<Map<string, SnapshotInfo>> {
  const all = await listSnapshots(qmp);
  return new Map((all.find((n) => n.node === node)?.snapshots ?? []).map((s) => [s.tag, s]));
}

/**
 * Shell function `has_snapshot FILE TAG`: whether the qcow2 file holds the internal snapshot
 * (qemu-img's list read without taking the image lock: a snapshot never changes).
 */
const HAS_SNAPSHOT_SH = `has_snapshot() { qemu-img snapshot -U -l "$1" | awk 'NR>2{print $2}' | grep -qxF "$2"; }`;

/** Files of the snapshot's nodes, for qemu-img while the VM is stopped. */
function nodeFiles(spec: VmSpec): string[] {
  const { nodes } = snapshotNodesOf(spec);
  return nodes.map((node) => {
    if (node === FIRMWARE_VARS_NODE) return STORAGE_PATHS.firmwareVars;
    const disk = spec.disks.find((d) => diskNodeName(d) === node)!;
    return diskPath(disk.name, disk.format);
  });
}

/**
 * Takes a snapshot of a running VM. With memory: one `snapshot-save` job over every disk and
 * the UEFI variables, the vmstate (RAM, devices, TPM) on the system disk; the VM pauses only
 * while saving. Without: the guest's file systems are frozen through the agent when it
 * answers, every disk gets an internal snapshot in one transaction, then they thaw.
 * The hardware config is recorded in the volume (/storage/snapshots/TAG.json).
 */
export async function takeSnapshot(ref: VmRef, options: TakeSnapshotOptions): Promise<SnapshotRecord> {
  checkTag(options.tag);
  if (!(await isRunning(ref.docker, ref.container)))
    throw new SnapshotError(`VM container ${ref.container} is not running: start it to take a snapshot`);
  const spec = await readContainerSpec(ref.docker, ref.container);
  requireSnapshots(spec);
  const record = newRecord(spec, specHashOf(spec), {
    tag: options.tag,
    memory: options.memory,
    description: options.description ?? '',
  });
  await withQmp(ref, async (qmp) => {
    if ((await qemuSnapshots(qmp, record.vmstateNode)).has(options.tag)) {
      throw new SnapshotError(
        `VM "${spec.name}" already has a snapshot "${options.tag}": delete it first or choose another name`,
      );
    }
    if (options.memory) {
      await snapshotSave(qmp, {
        tag: options.tag,
        vmstateNode: record.vmstateNode,
        deviceNodes: record.nodes,
        timeoutMs: options.timeoutMs ?? 600_000,
      });
      return;
    }
    const agent = await tryAgent(ref, spec, 3_000);
    let frozen = false;
    try {
      if (agent)
        frozen = await agent.execute('guest-fsfreeze-freeze', undefined, { timeoutMs: 30_000 }).then(
          () => true,
          () => false,
        );
      await qmp.execute('transaction', {
        actions: record.nodes.map((node) => ({
          type: 'blockdev-snapshot-internal-sync',
          data: { device: node, name: options.tag },
        })),
      });
    } finally {
      if (frozen)
        await agent!.execute('guest-fsfreeze-thaw', undefined, { timeoutMs: 30_000 }).catch(() => undefined);
      agent?.close();
    }
  });
  await writeStorageFiles(ref.docker, ref.container, [
    { path: `snapshots/${options.tag}.json`, content: JSON.stringify(record, null, 2) + '\n' },
  ]);
  return record;
}

async function readRecords(ref: VmRef): Promise<Map<string, SnapshotRecord>> {
  const records = new Map<string, SnapshotRecord>();
  for (const [name, content] of await readContainerDir(ref.docker, ref.container, SNAPSHOTS_DIR)) {
    if (!name.endsWith('.json')) continue;
    const parsed = snapshotRecord.safeParse(JSON.parse(content.toString('utf8')));
    if (parsed.success) records.set(parsed.data.tag, parsed.data);
  }
  return records;
}

export async function readSnapshotRecord(ref: VmRef, tag: string): Promise<SnapshotRecord | undefined> {
  const raw = await readContainerFile(ref.docker, ref.container, snapshotRecordPath(tag));
  if (!raw) return undefined;
  const parsed = snapshotRecord.safeParse(JSON.parse(raw.toString('utf8')));
  return parsed.success ? parsed.data : undefined;
}

/** Snapshots of a VM, running (QMP) or stopped (qemu-img in a helper), with their records. */
export async function listVmSnapshots(ref: VmRef): Promise<VmSnapshot[]> {
  const spec = await readContainerSpec(ref.docker, ref.container);
  const { vmstateNode } = snapshotNodesOf(spec);
  let found: Array<{ tag: string; vmStateBytes: number; takenAt: Date }>;
  if (await isRunning(ref.docker, ref.container)) {
    found = [...(await withQmp(ref, (qmp) => qemuSnapshots(qmp, vmstateNode))).values()].map((s) => ({
      tag: s.tag,
      vmStateBytes: s.vmStateSize,
      takenAt: s.date,
    }));
  } else {
    const system = spec.disks[0]!;
    const info = JSON.parse(
      await mustRun(
        runVolumeTool(ref.docker, ref.container, 'exec qemu-img info -U --output=json "$1"', [
          diskPath(system.name, system.format),
        ]),
        'qemu-img info',
      ),
    ) as { snapshots?: Array<{ name: string; 'vm-state-size': number; 'date-sec': number }> };
    found = (info.snapshots ?? []).map((s) => ({
      tag: s.name,
      vmStateBytes: s['vm-state-size'],
      takenAt: new Date(s['date-sec'] * 1000),
    }));
  }
  const records = await readRecords(ref);
  return found
    .filter((s) => !s.tag.startsWith('__'))
    .map((s) => {
      const record = records.get(s.tag);
      return record ? { ...s, record } : s;
    });
}

/**
 * Deletes a snapshot from every node and its record; the space goes back to the host (the
 * disks are opened with discard=unmap). A missing snapshot is no error.
 */
export async function deleteSnapshot(ref: VmRef, tag: string): Promise<void> {
  checkTag(tag);
  const spec = await readContainerSpec(ref.docker, ref.container);
  const { nodes } = snapshotNodesOf(spec);
  if (await isRunning(ref.docker, ref.container)) {
    await withQmp(ref, (qmp) => snapshotDelete(qmp, { tag, deviceNodes: nodes, timeoutMs: 600_000 }));
    await mustRun(
      runVolumeTool(ref.docker, ref.container, 'rm -f "$1"', [snapshotRecordPath(tag)]),
      'removing the snapshot record',
    );
    return;
  }
  // Offline: qemu-img per file (a tag a file does not have is skipped), then the record.
  const script = `${HAS_SNAPSHOT_SH}; tag="$1"; rec="$2"; shift 2; for f in "$@"; do [ -f "$f" ] || continue; if has_snapshot "$f" "$tag"; then qemu-img snapshot -d "$tag" "$f" || exit 1; fi; done; rm -f "$rec"`;
  await mustRun(
    runVolumeTool(ref.docker, ref.container, script, [tag, snapshotRecordPath(tag), ...nodeFiles(spec)]),
    `deleting snapshot "${tag}"`,
  );
}

export interface RestoreOptions {
  /** Set the guest clock through the agent after the restore (default true). */
  setClock?: boolean;
  /** How long to wait for the guest agent to answer after the restore. Default 30 s. */
  agentTimeoutMs?: number;
  /** Restore even without windock's record of the hardware (a snapshot made elsewhere). */
  withoutRecord?: boolean;
  /** Handed over again when an offline restore starts the container anew (its tmpfs starts empty). */
  secrets?: Record<string, string>;
}

export interface RestoreResult {
  tag: string;
  memory: boolean;
  /** From the call to QEMU having loaded the state. */
  loadMs: number;
  /** From the call to the guest agent answering (undefined without an agent). */
  responsiveMs?: number;
  /** Whether the guest clock was set after the restore. */
  clockSet: boolean;
  /** Why the clock could not be set, if it could not. */
  clockError?: string;
}

function checkRestorable(
  spec: VmSpec,
  tag: string,
  record: SnapshotRecord | undefined,
  options: RestoreOptions,
): SnapshotRecord | undefined {
  requireSnapshots(spec);
  if (!record) {
    if (options.withoutRecord) return undefined;
    throw new SnapshotError(
      `VM "${spec.name}" has no windock record of snapshot "${tag}" (${snapshotRecordPath(tag)}), so its hardware cannot be checked: ` +
        'take snapshots with windock, or pass withoutRecord to restore anyway',
    );
  }
  const differences = hardwareDifferences(record.hardware, hardwareOf(spec));
  if (differences.length > 0) {
    throw new SnapshotError(
      `snapshot "${tag}" of VM "${spec.name}" was taken on other hardware: ${differences.join('; ')}. ` +
        'Restore it on the hardware it was taken with (change the VM back first); the VM was not touched',
    );
  }
  return record;
}

/**
 * The round trips a restore needs, all started at once: the spec, the record, QMP and the
 * agent (opened while QEMU loads, so the guest is asked as soon as it runs again).
 */
interface RestoreConnections {
  running: boolean;
  spec: Promise<VmSpec>;
  record: Promise<SnapshotRecord | undefined>;
  qmp?: Promise<QmpClient>;
  agent: Promise<GuestAgentClient | undefined>;
}

function openConnections(ref: VmRef, tag: string, running: boolean): RestoreConnections {
  const spec = readContainerSpec(ref.docker, ref.container);
  const record = readSnapshotRecord(ref, tag);
  record.catch(() => undefined);
  const qmp = running ? connectVmQmp(ref.docker, ref.container) : undefined;
  qmp?.catch(() => undefined); // awaited later; never an unhandled rejection meanwhile
  const agent = running
    ? spec.then(
        (s) => tryAgent(ref, s, 5_000),
        () => undefined,
      )
    : Promise.resolve(undefined);
  return { running, spec, record, ...(qmp ? { qmp } : {}), agent };
}

async function closeConnections(open: RestoreConnections): Promise<void> {
  await open.qmp
    ?.then(
      (q) => q.close(),
      () => undefined,
    )
    .catch(() => undefined);
  (await open.agent)?.close();
}

/** The spec and the checked record; the connections closed when the restore cannot be. */
async function restoreTarget(open: RestoreConnections, tag: string, options: RestoreOptions) {
  try {
    const spec = await open.spec;
    return { spec, record: checkRestorable(spec, tag, await open.record, options) };
  } catch (error) {
    await closeConnections(open);
    throw error;
  }
}

/** Loads a memory snapshot into the running VM; a half-done load is recovered and thrown. */
async function loadOrRecover(qmp: QmpClient, spec: VmSpec, tag: string): Promise<void> {
  const { vmstateNode, nodes } = snapshotNodesOf(spec);
  const present = (await qemuSnapshots(qmp, vmstateNode)).get(tag);
  if (!present) throw new SnapshotError(`VM "${spec.name}" has no snapshot "${tag}"; the VM was not touched`);
  if (present.vmStateSize === 0)
    throw new SnapshotError(
      `snapshot "${tag}" of VM "${spec.name}" holds no memory state; the VM was not touched`,
    );
  try {
    await snapshotLoad(qmp, { tag, vmstateNode, deviceNodes: nodes, timeoutMs: 600_000 });
  } catch (error) {
    if (!(error instanceof SnapshotLoadError)) throw error;
    // Loaded half way (restore-vm): reset; otherwise nothing was loaded: just resume.
    const status = await recoverAfterFailedLoad(qmp, {
      wasRunning: error.wasRunning,
      reset: error.statusAfter.status === 'restore-vm',
    }).catch(() => undefined);
    throw new SnapshotError(
      `restoring snapshot "${tag}" of VM "${spec.name}" failed: ${error.jobError}. ` +
        (error.statusAfter.status === 'restore-vm'
          ? `The state was partly loaded, so the VM was reset (now ${status?.status ?? 'unknown'}).`
          : `Nothing was loaded; the VM is ${status?.status ?? 'in an unknown state'} as before.`),
      { cause: error },
    );
  }
}

/** The in-place load over the open QMP connection (closed afterwards); the load's time. */
async function loadInPlace(open: RestoreConnections, spec: VmSpec, tag: string, started: number) {
  const qmp = await open.qmp!;
  try {
    await loadOrRecover(qmp, spec, tag);
    return Date.now() - started;
  } catch (error) {
    void open.agent.then((a) => a?.close());
    throw error;
  } finally {
    await qmp.close().catch(() => undefined);
  }
}

/** After an in-place load: the guest agent's answer time and the clock set, where an agent answers. */
async function afterLoad(
  ref: VmRef,
  opened: GuestAgentClient | undefined,
  result: RestoreResult,
  started: number,
  options: RestoreOptions,
): Promise<RestoreResult> {
  const agent = await answeringAgent(ref, opened, started + (options.agentTimeoutMs ?? 30_000));
  if (!agent) return result;
  try {
    result.responsiveMs = Date.now() - started;
    if (options.setClock ?? true) await setClock(agent, result);
  } finally {
    agent.close();
  }
  return result;
}

/**
 * Restores a snapshot on the VM. A memory snapshot loads in place on the running VM (RAM,
 * devices, TPM, disks, UEFI variables): the fast path. A disk-only snapshot needs the VM off:
 * graceful power-down, the disks reverted offline, start again. The hardware recorded with
 * the snapshot must match the current spec. After the restore the guest clock is set through
 * the agent. Any failure leaves the VM running as it was and throws a `SnapshotError`.
 * Steps: open the connections, check the target, then either the offline revert or the load
 * in place followed by the agent.
 */
export async function restoreSnapshot(
  ref: VmRef,
  tag: string,
  options: RestoreOptions = {},
): Promise<RestoreResult> {
  const started = Date.now();
  checkTag(tag);
  const open = openConnections(ref, tag, await isRunning(ref.docker, ref.container));
  const { spec, record } = await restoreTarget(open, tag, options);
  const memory = record?.memory ?? true;
  if (!memory || !open.running) {
    await closeConnections(open);
    return restoreOffline(ref, spec, tag, memory, started, options);
  }
  const loadMs = await loadInPlace(open, spec, tag, started);
  return afterLoad(ref, await open.agent, { tag, memory, loadMs, clockSet: false }, started, options);
}

/**
 * The guest agent after a load. The connection opened while the snapshot loaded can lose its
 * first exchange (the guest's side of the port is rewound under it), so each try gets a short
 * sync and, failing that, a fresh connection, until the deadline.
 */
async function answeringAgent(
  ref: VmRef,
  opened: GuestAgentClient | undefined,
  deadline: number,
): Promise<GuestAgentClient | undefined> {
  if (!opened) return undefined;
  let agent: GuestAgentClient | undefined = opened;
  while (Date.now() < deadline) {
    if (agent) {
      try {
        await agent.sync({ timeoutMs: Math.max(250, Math.min(1500, deadline - Date.now())) });
        return agent;
      } catch {
        agent.close();
      }
    }
    agent = await connectVmAgent(ref.docker, ref.container, Math.max(1000, deadline - Date.now())).catch(
      () => undefined,
    );
    if (!agent) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  agent?.close();
  return undefined;
}

async function setClock(agent: GuestAgentClient, result: RestoreResult): Promise<void> {
  try {
    await agent.setTime(new Date(), { timeoutMs: 15_000 });
    result.clockSet = true;
  } catch (error) {
    result.clockError = (error as Error).message;
  }
}

/** A disk-only snapshot (or a stopped VM): power down, revert the files, start again. */
async function restoreOffline(
  ref: VmRef,
  spec: VmSpec,
  tag: string,
  memory: boolean,
  started: number,
  options: RestoreOptions,
): Promise<RestoreResult> {
  const wasRunning = await isRunning(ref.docker, ref.container);
  const files = nodeFiles(spec);
  // Checked before the VM goes down: every file must hold the snapshot.
  const check = `${HAS_SNAPSHOT_SH}; tag="$1"; shift; for f in "$@"; do has_snapshot "$f" "$tag" || { echo "$f has no snapshot $tag" >&2; exit 3; }; done`;
  const checked = await runVolumeTool(ref.docker, ref.container, check, [tag, ...files]);
  if (checked.exitCode !== 0)
    throw new SnapshotError(
      `VM "${spec.name}" cannot be restored to "${tag}": ${checked.stderr.trim()}; the VM was not touched`,
    );
  if (wasRunning) await stopVmContainer(ref.docker, ref.container, spec.power.shutdownTimeoutSeconds);
  const applied = await runVolumeTool(
    ref.docker,
    ref.container,
    'tag="$1"; shift; for f in "$@"; do qemu-img snapshot -a "$tag" "$f" || exit 1; done',
    [tag, ...files],
  );
  if (wasRunning) await startVmContainer(ref.docker, ref.container, options.secrets ?? {});
  if (applied.exitCode !== 0)
    throw new SnapshotError(`reverting VM "${spec.name}" to "${tag}" failed: ${applied.stderr.trim()}`);
  const loadMs = Date.now() - started;
  const result: RestoreResult = { tag, memory, loadMs, clockSet: false };
  if (wasRunning && spec.guestAgent.enabled) {
    await waitForReadiness(ref.docker, ref.container, 'agent', options.agentTimeoutMs ?? 300_000);
    const agent = await connectVmAgent(ref.docker, ref.container, options.agentTimeoutMs ?? 60_000);
    try {
      result.responsiveMs = Date.now() - started;
      // A cold boot reads the RTC; setting the clock anyway keeps one behaviour.
      if (options.setClock ?? true) await setClock(agent, result);
    } finally {
      agent.close();
    }
  }
  return result;
}
