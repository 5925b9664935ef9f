import { setupDiskNumber, setupDiskOrder } from './setup-disk-order';

const devices = (...values: string[]): string[] => values.flatMap((value) => ['-device', value]);

describe("Windows Setup's disk order of a QEMU command line", () => {
  test('the USB answer stick is disk 0, the virtio system disk after it (dockur installs to DiskID 1)', () => {
    const argv = devices(
      'virtio-blk-pci,drive=disk-system,id=disk-system-dev,iothread=io0,bootindex=1',
      'qemu-xhci,id=usb0',
      'ahci,id=ahci-install',
      'ide-cd,bus=ahci-install.0,drive=install-media,id=install-cd,bootindex=0',
      'ide-cd,bus=ahci-install.1,drive=drivers-media,id=drivers-cd',
      'usb-storage,bus=usb0.0,drive=answer-media,id=answer-drive,removable=on',
    );
    expect(setupDiskOrder(argv).map((d) => [d.id, d.driver])).toEqual([
      ['answer-drive', 'inbox'],
      ['disk-system-dev', 'virtio'],
    ]);
    expect(setupDiskNumber(argv, 'disk-system-dev')).toBe(1);
  });

  test('inbox disks by controller order then port; virtio disks (blk and scsi) after all of them', () => {
    const argv = devices(
      'virtio-blk-pci,drive=d0,id=sys',
      'virtio-scsi-pci,id=scsi0',
      'scsi-hd,bus=scsi0.0,drive=d1,id=data-scsi',
      'ahci,id=sata0',
      'qemu-xhci,id=usb0',
      'usb-storage,bus=usb0.0,drive=stick,id=stick',
      'ide-hd,bus=sata0.2,drive=d2,id=sata-b',
      'ide-hd,bus=sata0.1,drive=d3,id=sata-a',
      'nvme,drive=d4,serial=n1,id=nvme0',
    );
    expect(setupDiskOrder(argv).map((d) => d.id)).toEqual([
      'sata-a',
      'sata-b',
      'stick',
      'nvme0',
      'sys',
      'data-scsi',
    ]);
  });

  test('CD-ROMs are no disks; a virtio system disk alone is disk 0; an unknown id has no number', () => {
    const argv = devices('ahci,id=a', 'ide-cd,bus=a.0,drive=iso,id=cd', 'virtio-blk-pci,drive=d,id=sys');
    expect(setupDiskNumber(argv, 'sys')).toBe(0);
    expect(setupDiskNumber(argv, 'cd')).toBeUndefined();
  });

  test('a system disk on an inbox controller counts among the inbox disks (dockur DISK_TYPE sata: DiskID 0)', () => {
    const argv = devices(
      'ahci,id=sata0',
      'ide-hd,bus=sata0.0,drive=d,id=sys',
      'qemu-xhci,id=usb0',
      'usb-storage,bus=usb0.0,drive=stick,id=stick',
    );
    expect(setupDiskNumber(argv, 'sys')).toBe(0);
    expect(setupDiskNumber(argv, 'stick')).toBe(1);
  });
});
