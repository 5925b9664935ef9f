// Which number Windows Setup gives each disk of a QEMU command line: the DiskID the answer file
// must name. Windows numbers disks in the order their storage drivers find them. In WinPE the
// inbox drivers (storahci/pciide for AHCI and IDE, usbstor for USB mass storage, stornvme for
// NVMe) run at boot, so their disks come first, controller by controller in PCI order (QEMU
// gives devices without addr= their slots in command-line order) and port by port. Disks that
// need virtio-win (viostor for virtio-blk, vioscsi for virtio-scsi) only appear when Setup loads
// those drivers from the answer file's PnpCustomizationsWinPE paths, after all of those.
// CD-ROMs get CdRom numbers, not disk numbers.
// dockur/windows does the same with the same layout (src/answer.sh updateDiskID: "The setup
// overlay occupies disk 0, so VirtIO disks move to disk 1"; assets/*.xml install to DiskID 1).
// Microsoft: "Disks are numbered 0, 1, 2, and so on, in the order they are created"
// (learn.microsoft.com, microsoft-windows-setup-imageinstall-osimage-installto-diskid).

/** One disk device as Setup sees it. */
export interface SetupDisk {
  /** The QEMU device's id= (or its drive= when it has none). */
  id: string;
  /** The QEMU device driver ("virtio-blk-pci", "usb-storage", ...). */
  device: string;
  /** Who serves it in WinPE: built into Windows, or a virtio-win driver loaded by Setup. */
  driver: 'inbox' | 'virtio';
}

interface DeviceArg {
  device: string;
  props: Record<string, string>;
  position: number;
}

// scsi-hd counts only on a virtio-scsi controller (other SCSI HBAs have no Windows driver here).
const INBOX_DISKS = new Set(['ide-hd', 'usb-storage', 'usb-uas', 'nvme']);
const VIRTIO_DISKS = new Set(['virtio-blk-pci', 'virtio-blk', 'virtio-blk-pci-non-transitional']);
const VIRTIO_SCSI = new Set(['virtio-scsi-pci', 'virtio-scsi', 'virtio-scsi-pci-non-transitional']);

function parseDevice(value: string, position: number): DeviceArg {
  const [device = '', ...rest] = value.split(',');
  const props: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq > 0) props[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return { device, props, position };
}

/** The -device arguments of a command line, in order. */
function devices(argv: string[]): DeviceArg[] {
  return argv.flatMap((arg, i) => (arg === '-device' && argv[i + 1] ? [parseDevice(argv[i + 1]!, i)] : []));
}

/** "ahci0.1" -> controller "ahci0", port 1; a usb-storage on "usb0.0" hangs off "usb0". */
function busOf(props: Record<string, string>): { controller: string; port: number } {
  const bus = props.bus ?? '';
  const dot = bus.lastIndexOf('.');
  return dot < 0
    ? { controller: bus, port: 0 }
    : { controller: bus.slice(0, dot), port: Number(bus.slice(dot + 1)) || 0 };
}

const idOf = (d: DeviceArg): string => d.props.id ?? d.props.drive ?? `${d.device}@${d.position}`;

/**
 * The disks of a QEMU command line in Windows Setup's numbering (index = DiskID): inbox disks
 * by controller (in command-line order) and port, then virtio disks in command-line order.
 * Pure.
 */
export function setupDiskOrder(argv: string[]): SetupDisk[] {
  const all = devices(argv);
  const controllerRank = new Map<string, number>();
  for (const d of all)
    if (d.props.id && !controllerRank.has(d.props.id)) controllerRank.set(d.props.id, d.position);
  const virtioScsi = new Set(all.filter((d) => VIRTIO_SCSI.has(d.device)).map((d) => d.props.id));

  const isVirtio = (d: DeviceArg): boolean =>
    VIRTIO_DISKS.has(d.device) ||
    ((d.device === 'scsi-hd' || d.device === 'scsi-block') && virtioScsi.has(busOf(d.props).controller));
  const isInbox = (d: DeviceArg): boolean => INBOX_DISKS.has(d.device);
  // A device on no named bus is its own controller (nvme) or sits on a built-in one.
  const rank = (d: DeviceArg): [number, number] => {
    const { controller, port } = busOf(d.props);
    return [controllerRank.get(controller) ?? d.position, port];
  };

  const inbox = all
    .filter(isInbox)
    .sort((a, b) => rank(a)[0] - rank(b)[0] || rank(a)[1] - rank(b)[1] || a.position - b.position);
  const virtio = all.filter(isVirtio);
  return [
    ...inbox.map((d) => ({ id: idOf(d), device: d.device, driver: 'inbox' as const })),
    ...virtio.map((d) => ({ id: idOf(d), device: d.device, driver: 'virtio' as const })),
  ];
}

/** The DiskID of the device with this id (or drive), or undefined when the argv has no such disk. */
export function setupDiskNumber(argv: string[], id: string): number | undefined {
  const index = setupDiskOrder(argv).findIndex((disk) => disk.id === id);
  return index < 0 ? undefined : index;
}
