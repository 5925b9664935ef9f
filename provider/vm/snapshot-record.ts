import { createHash } from 'node:crypto';
import { z } from 'zod';
import { snapshotNodesOf } from '../../contract/block-nodes';
import { STORAGE_PATHS, type VmSpec } from '../../contract';

/** Where a snapshot's record lives in the VM's volume. */
export const SNAPSHOTS_DIR = STORAGE_PATHS.snapshotsDir;
export const snapshotRecordPath = (tag: string) => `${SNAPSHOTS_DIR}/${tag}.json`;

/** A snapshot name: also QEMU's tag and a file name. `__` starts windock's own temporary tags. */
export const snapshotTag = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
    'use letters, digits, ".", "_" and "-" (max 63), starting with a letter or digit',
  );

/** What a snapshot pins: a restore needs the same machine, CPUs, RAM, firmware and disks. */
export const snapshotHardware = z.object({
  machine: z.string(),
  cpuCores: z.number(),
  memoryMiB: z.number(),
  firmware: z.string(),
  tpm: z.boolean(),
  disks: z.array(z.object({ name: z.string(), format: z.string() })),
});
export type SnapshotHardware = z.infer<typeof snapshotHardware>;

export const snapshotRecord = z.object({
  formatVersion: z.literal(1),
  tag: z.string(),
  /** RAM and device state (and the TPM) too, or the disks only. */
  memory: z.boolean(),
  description: z.string(),
  createdAt: z.string(),
  vm: z.object({ uuid: z.string(), name: z.string() }),
  hardware: snapshotHardware,
  /** Hash of the hardware part of the spec (what `hardwareDifferences` compares). */
  hardwareHash: z.string(),
  /** Hash of the whole VM spec at the time. */
  specHash: z.string(),
  /** The block nodes holding it; the vmstate is on `vmstateNode`. */
  vmstateNode: z.string(),
  nodes: z.array(z.string()),
});
export type SnapshotRecord = z.infer<typeof snapshotRecord>;

export function hardwareOf(spec: VmSpec): SnapshotHardware {
  return {
    machine: spec.machine,
    cpuCores: spec.cpu.cores,
    memoryMiB: spec.memoryMiB,
    firmware: spec.firmware.type,
    tpm: spec.firmware.tpm,
    disks: spec.disks.map((d) => ({ name: d.name, format: d.format })),
  };
}

export function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** Human-readable differences between the recorded hardware and the current one (empty: same). */
export function hardwareDifferences(recorded: SnapshotHardware, current: SnapshotHardware): string[] {
  const out: string[] = [];
  const show = (field: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b))
      out.push(`${field} ${fmt(a)} at the snapshot, ${fmt(b)} now`);
  };
  show('machine', recorded.machine, current.machine);
  show('cpu', recorded.cpuCores, current.cpuCores);
  show('memory (MiB)', recorded.memoryMiB, current.memoryMiB);
  show('firmware', recorded.firmware, current.firmware);
  show('tpm', recorded.tpm, current.tpm);
  show(
    'disks',
    recorded.disks.map((d) => `${d.name}:${d.format}`),
    current.disks.map((d) => `${d.name}:${d.format}`),
  );
  return out;
}

function fmt(value: unknown): string {
  return Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
}

export function newRecord(
  spec: VmSpec,
  specHash: string,
  options: { tag: string; memory: boolean; description: string; now?: Date },
): SnapshotRecord {
  const hardware = hardwareOf(spec);
  const { vmstateNode, nodes } = snapshotNodesOf(spec);
  return {
    formatVersion: 1,
    tag: options.tag,
    memory: options.memory,
    description: options.description,
    createdAt: (options.now ?? new Date()).toISOString(),
    vm: { uuid: spec.identity.uuid, name: spec.name },
    hardware,
    hardwareHash: hashOf(hardware),
    specHash,
    vmstateNode,
    nodes,
  };
}
