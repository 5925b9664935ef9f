import { diskPath, type VmSpec } from '../../../provider/spec';
import type { DiskSpec } from '../../../provider/spec';

/** Block node name of a disk: snapshots and QMP address disks by these names. */
export function diskNodeName(disk: Pick<DiskSpec, 'name'>): string {
  return `disk-${disk.name}`;
}

function fileNode(disk: DiskSpec): string {
  if (disk.source.kind === 'block-device') {
    return `driver=host_device,filename=${disk.source.device},node-name=${diskNodeName(disk)}-file,aio=threads,cache.direct=on`;
  }
  // discard=unmap on both nodes: deleted snapshots and trimmed guest blocks free host space.
  return `driver=file,filename=${diskPath(disk.name, disk.format)},node-name=${diskNodeName(disk)}-file,discard=unmap`;
}

export function diskArgs(spec: VmSpec): string[] {
  const args: string[] = ['-object', 'iothread,id=io0'];
  spec.disks.forEach((disk, index) => {
    const format = disk.source.kind === 'block-device' ? 'raw' : disk.format;
    const readOnly = disk.readOnly ? ',read-only=on' : '';
    args.push(
      '-blockdev',
      fileNode(disk) + readOnly,
      '-blockdev',
      `driver=${format},file=${diskNodeName(disk)}-file,node-name=${diskNodeName(disk)},discard=unmap${readOnly}`,
      '-device',
      `virtio-blk-pci,drive=${diskNodeName(disk)},id=${diskNodeName(disk)}-dev,iothread=io0` +
        (index === 0 && spec.boot.kind === 'disk' ? ',bootindex=1' : ''),
    );
  });
  return args;
}

/** Nodes that hold guest data and must be in every snapshot. */
export function diskSnapshotNodes(spec: VmSpec): string[] {
  return spec.disks
    .filter((disk) => disk.format === 'qcow2' && disk.source.kind !== 'block-device')
    .map(diskNodeName);
}
