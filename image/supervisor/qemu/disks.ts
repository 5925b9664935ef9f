import { diskPath, type VmSpec } from '../../../contract';
import type { DiskSpec } from '../../../contract';
import { diskNodeName } from '../../../contract/block-nodes';

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
