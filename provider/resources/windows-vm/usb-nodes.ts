import { runGpuHelper, type GpuHostAccess } from '../../gpu/helper';
import type { UsbDeviceNode } from '../../docker/usb-container';
import { USB_DEVICE_DIR } from '../../docker/usb-container';
import type { UsbDeviceSpec } from '../../../contract';
import { parseUsbListing, USB_LIST_SCRIPT, type HostUsbDevice } from './usb-preflight';

function matches(device: HostUsbDevice, wanted: UsbDeviceSpec): boolean {
  const { match } = wanted;
  if (match.kind === 'bus-port') return device.port === `${match.bus}-${match.port}`;
  return `0x${device.vendorId}` === match.vendorId && `0x${device.productId}` === match.productId;
}

const pad3 = (n: number) => String(n).padStart(3, '0');

/**
 * The usbfs nodes of the spec's USB devices among the host's (every device a vendor:product
 * names, the one a bus-port names), each once, as "BBB/DDD" under /dev/bus/usb. A device not
 * plugged in has none: its QEMU port stays empty. Pure.
 */
export function usbNodeNames(usb: UsbDeviceSpec[], host: HostUsbDevice[]): string[] {
  const names = host
    .filter((device) => device.busnum !== undefined && device.devnum !== undefined)
    .filter((device) => usb.some((wanted) => matches(device, wanted)))
    .map((device) => `${pad3(device.busnum!)}/${pad3(device.devnum!)}`);
  return [...new Set(names)].sort();
}

/**
 * The device nodes to pass into the VM's container for its USB devices: found in the host's
 * sysfs through a read-only helper container when the container is made (device numbers
 * change when a device is plugged in again: the next `pulumi up` passes the new node).
 * `usbfsRoot` is where the host's nodes are (a stand-in folder in tests).
 */
export async function usbNodesOnHost(
  access: GpuHostAccess,
  usb: UsbDeviceSpec[],
  usbfsRoot: string = USB_DEVICE_DIR,
): Promise<UsbDeviceNode[]> {
  if (usb.length === 0) return [];
  const result = await runGpuHelper(access, { entrypoint: ['sh', '-c', USB_LIST_SCRIPT], timeoutMs: 30_000 });
  if (result.exitCode !== 0)
    throw new Error(
      `usb: could not list the USB devices of host "${access.hostName}": ${result.stderr.trim()}`,
    );
  return usbNodeNames(usb, parseUsbListing(result.stdout) ?? []).map((name) => ({
    pathOnHost: `${usbfsRoot}/${name}`,
    pathInContainer: `${USB_DEVICE_DIR}/${name}`,
  }));
}
