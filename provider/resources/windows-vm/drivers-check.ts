import type { WindowsVmInputs } from './inputs';

/**
 * drivers "none" with Microsoft's own media: the system disk is virtio-blk (Windows has no inbox
 * driver for it), and unmodified ISOs carry no virtio drivers, so Setup would find no disk to
 * install to (dockur ships viostor to WinPE for the same reason: src/install.sh addDrivers).
 * An ISO of your own ("url", "iso") may carry them (boot.wim or $WinPEDriver$): it is allowed.
 * Pure.
 */
export function driversRefusal(vm: Pick<WindowsVmInputs, 'media' | 'drivers'>): string | undefined {
  if (vm.drivers?.kind !== 'none' || vm.media?.kind !== 'windows') return undefined;
  return (
    'drivers: kind "none" leaves Windows Setup without a driver for the virtio system disk, and ' +
    "Microsoft's ISOs carry none, so Setup would find no disk to install to: remove drivers " +
    '(the catalogue\'s virtio-win ISO) or give a drivers ISO (kind "virtio-win", "url" or "iso")'
  );
}
