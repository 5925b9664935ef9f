import type { DiskSpec } from './disks';
import type { VmSpec } from './vm-spec';

/**
 * QEMU block-node names, as the image creates them and the provider addresses them over QMP
 * (block_resize, snapshot-save/-load/-delete). Both sides use these functions, never literals.
 */
export const FIRMWARE_VARS_NODE = 'fw-vars';

/** Block node name of a disk: snapshots and QMP address disks by these names. */
export function diskNodeName(disk: Pick<DiskSpec, 'name'>): string {
  return `disk-${disk.name}`;
}

/** Nodes that hold guest data and must be in every snapshot. */
export function diskSnapshotNodes(spec: VmSpec): string[] {
  return spec.disks
    .filter((disk) => disk.format === 'qcow2' && disk.source.kind !== 'block-device')
    .map(diskNodeName);
}

/** Block nodes a snapshot must include besides the disks: the firmware variables. */
export function firmwareSnapshotNodes(spec: VmSpec): string[] {
  return spec.firmware.type === 'bios' ? [] : [FIRMWARE_VARS_NODE];
}

/** The block nodes of a snapshot of this spec: the vmstate goes to the system disk. */
export function snapshotNodesOf(spec: VmSpec): { vmstateNode: string; nodes: string[] } {
  return {
    vmstateNode: diskNodeName(spec.disks[0]!),
    nodes: [...diskSnapshotNodes(spec), ...firmwareSnapshotNodes(spec)],
  };
}
