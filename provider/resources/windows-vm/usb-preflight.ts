import { runGpuHelper, type GpuHostAccess } from '../../gpu/helper';
import type { CheckFailure } from './check';

/** One USB device the host's sysfs shows: "1-1.4" with its vendor and product ids. */
export interface HostUsbDevice {
  port: string;
  vendorId: string;
  productId: string;
  /** Its bus and device numbers (sysfs busnum, devnum): its node is /dev/bus/usb/BBB/DDD. */
  busnum?: number;
  devnum?: number;
}

const NO_USB_BUS = 'WINDOCK-NO-USB-BUS';

/** Lists /sys/bus/usb/devices in a helper container (the host's sysfs at /host/sys, read-only). */
export const USB_LIST_SCRIPT = `cd /host/sys/bus/usb/devices 2>/dev/null || { echo ${NO_USB_BUS}; exit 0; }
for d in *; do [ -r "$d/idVendor" ] && echo "$d $(cat "$d/idVendor") $(cat "$d/idProduct") $(cat "$d/busnum" 2>/dev/null) $(cat "$d/devnum" 2>/dev/null)"; done; exit 0`;

/** The helper's output: the devices, or undefined when the host has no USB bus at all. Pure. */
export function parseUsbListing(output: string): HostUsbDevice[] | undefined {
  if (output.includes(NO_USB_BUS)) return undefined;
  return output
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 3 && /^\d+-[\d.]+$/.test(fields[0]!))
    .map(([port, vendorId, productId, busnum, devnum]) => ({
      port: port!,
      vendorId: vendorId!.toLowerCase(),
      productId: productId!.toLowerCase(),
      ...(/^\d+$/.test(busnum ?? '') && /^\d+$/.test(devnum ?? '')
        ? { busnum: Number(busnum), devnum: Number(devnum) }
        : {}),
    }));
}

/** The USB inputs the host cannot satisfy, each naming the field and the fix. Pure. */
export function usbFailures(
  wanted: string[],
  host: HostUsbDevice[] | undefined,
  hostName: string,
): CheckFailure[] {
  if (wanted.length === 0) return [];
  if (!host) {
    return [
      {
        property: 'usb',
        reason: `usb: host "${hostName}" has no USB bus (no /sys/bus/usb): USB passthrough cannot work there; remove the usb devices or run the VM on a host with USB`,
      },
    ];
  }
  const present = (device: string) =>
    device.includes(':')
      ? host.some((d) => `${d.vendorId}:${d.productId}` === device)
      : host.some((d) => d.port === device);
  return wanted
    .filter((device) => !present(device))
    .map((device) => ({
      property: 'usb',
      reason: `usb: no USB device ${device} on host "${hostName}" (${host.length === 0 ? 'it has none plugged in' : `it has ${host.map((d) => `${d.port} = ${d.vendorId}:${d.productId}`).join(', ')}`}): plug it in before the VM starts, or remove it from usb`,
    }));
}

/** Checks the USB inputs against the host's sysfs through a read-only helper container. */
export async function checkHostUsb(access: GpuHostAccess, wanted: string[]): Promise<CheckFailure[]> {
  if (wanted.length === 0) return [];
  const result = await runGpuHelper(access, { entrypoint: ['sh', '-c', USB_LIST_SCRIPT], timeoutMs: 30_000 });
  if (result.exitCode !== 0)
    return [
      {
        property: 'usb',
        reason: `usb: could not list the USB devices of host "${access.hostName}": ${result.stderr.trim()}`,
      },
    ];
  return usbFailures(wanted, parseUsbListing(result.stdout), access.hostName);
}
