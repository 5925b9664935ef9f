import type { VmSpec } from '../../../contract';
import { setupDiskNumber } from '../../../lib/unattend/setup-disk-order';
import { EXIT, SupervisorError } from '../exit-codes';
import { diskNodeName } from '../../../contract/block-nodes';

/** The files a fresh install attaches, resolved inside the container. */
export interface InstallDrives {
  /** The unmodified Windows ISO. */
  media: string;
  /** The virtio-win drivers ISO. */
  drivers?: string;
  /** The FAT image holding autounattend.xml. */
  answer?: string;
}

/** QMP ids of the install devices (query-block reports them as qdev). */
export const INSTALL_DEVICE_IDS = {
  media: 'install-cd',
  drivers: 'drivers-cd',
  answer: 'answer-drive',
} as const;

const readOnlyImage = (node: string, file: string, format: 'raw'): string[] => [
  '-blockdev',
  `driver=file,filename=${file},node-name=${node}-file,read-only=on`,
  '-blockdev',
  `driver=${format},file=${node}-file,node-name=${node},read-only=on`,
];

/**
 * The install media, used only while an install is unfinished: the ISO and the drivers ISO as
 * read-only CD-ROMs on an AHCI controller (Windows Setup has AHCI drivers built in), the answer
 * file on a read-only USB stick (Setup scans removable drives for autounattend.xml). The ISO
 * boots first and the empty system disk second, so after Setup's first reboot the firmware
 * falls through to the disk when nobody presses a key. A kernel boot (the stand-in guest) keeps
 * its own boot order. Pure.
 */
export function installArgs(spec: VmSpec, drives: InstallDrives | undefined): string[] {
  if (!spec.install || !drives) return [];
  const bootFromCd = spec.boot.kind === 'disk';
  const args = [
    '-device',
    'ahci,id=ahci-install',
    ...readOnlyImage('install-media', drives.media, 'raw'),
    '-device',
    `ide-cd,bus=ahci-install.0,drive=install-media,id=${INSTALL_DEVICE_IDS.media}` +
      (bootFromCd ? ',bootindex=0' : ''),
  ];
  if (drives.drivers) {
    args.push(
      ...readOnlyImage('drivers-media', drives.drivers, 'raw'),
      '-device',
      `ide-cd,bus=ahci-install.1,drive=drivers-media,id=${INSTALL_DEVICE_IDS.drivers}`,
    );
  }
  if (drives.answer) {
    args.push(
      ...readOnlyImage('answer-media', drives.answer, 'raw'),
      // usb0 is the xHCI controller every VM has (control.ts displayArgs).
      '-device',
      `usb-storage,bus=usb0.0,drive=answer-media,id=${INSTALL_DEVICE_IDS.answer},removable=on`,
    );
  }
  return args;
}

/**
 * The number Windows Setup gives the system disk on this command line: the answer file's DiskID.
 * The answer stick (inbox USB driver) comes ahead of the virtio system disk, whose driver Setup
 * loads later; the command line is read, not assumed, so a change of buses moves the number too.
 */
export function setupTargetDisk(spec: VmSpec, argv: string[]): number {
  const system = spec.disks[0];
  // disks.ts gives each disk's device the id "<node>-dev".
  const id = system ? `${diskNodeName(system)}-dev` : undefined;
  const number = id === undefined ? undefined : setupDiskNumber(argv, id);
  if (number === undefined)
    throw new SupervisorError(
      `the QEMU command line has no system disk device${id ? ` "${id}"` : ''} to install Windows to`,
      EXIT.SPEC_INVALID,
      'install: answer file',
    );
  return number;
}
