import type Dockerode from 'dockerode';
import type { UsbDeviceSpec } from '../../contract';

/** Where the host's USB device nodes are (usbfs on devtmpfs), inside the container too. */
export const USB_DEVICE_DIR = '/dev/bus/usb';

/** One USB device node passed into a VM's container (usb-nodes.ts finds them on the host). */
export interface UsbDeviceNode {
  /** /dev/bus/usb/BBB/DDD on the host (a stand-in node in tests). */
  pathOnHost: string;
  /** /dev/bus/usb/BBB/DDD, where QEMU's libusb looks for it. */
  pathInContainer: string;
}

/**
 * A VM container's options with USB passthrough: the device nodes of the spec's USB devices
 * only, each a Docker device mapping, which allows exactly that node's numbers in the device
 * cgroup (read-write; no mknod). Never the whole /dev/bus/usb nor a rule for every USB device
 * (major 189): the other devices of the host stay out of reach. No capability, not privileged.
 * Only when the spec passes USB devices through; otherwise the options are returned unchanged.
 * Pure.
 */
export function withUsb(
  spec: { usb?: UsbDeviceSpec[] },
  options: Dockerode.ContainerCreateOptions,
  nodes: UsbDeviceNode[] = [],
): Dockerode.ContainerCreateOptions {
  if (!spec.usb?.length || nodes.length === 0) return options;
  const host = options.HostConfig ?? {};
  return {
    ...options,
    HostConfig: {
      ...host,
      Devices: [
        ...(host.Devices ?? []),
        ...nodes.map((node) => ({
          PathOnHost: node.pathOnHost,
          PathInContainer: node.pathInContainer,
          CgroupPermissions: 'rw',
        })),
      ],
    },
  };
}
