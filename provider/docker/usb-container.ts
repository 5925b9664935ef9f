import type Dockerode from 'dockerode';
import type { UsbDeviceSpec } from '../spec';

/** Where the host's USB device nodes are (usbfs on devtmpfs), inside the container too. */
export const USB_DEVICE_DIR = '/dev/bus/usb';
/** USB devices are character devices of major 189 (usb_device). */
export const USB_CGROUP_RULE = 'c 189:* rwm';

/**
 * A VM container's options with USB passthrough: the host's /dev/bus/usb bind-mounted
 * read-only (device nodes stay usable; nothing can be created there) and access to USB device
 * nodes (major 189) in the device cgroup. Nothing else: no capability, not privileged. Only
 * when the spec passes USB devices through; otherwise the options are returned unchanged. Pure.
 */
export function withUsb(
  spec: { usb?: UsbDeviceSpec[] },
  options: Dockerode.ContainerCreateOptions,
  hostDir: string = USB_DEVICE_DIR,
): Dockerode.ContainerCreateOptions {
  if (!spec.usb?.length) return options;
  const host = options.HostConfig ?? {};
  return {
    ...options,
    HostConfig: {
      ...host,
      Mounts: [
        ...(host.Mounts ?? []),
        { Type: 'bind', Source: hostDir, Target: USB_DEVICE_DIR, ReadOnly: true },
      ],
      DeviceCgroupRules: [...(host.DeviceCgroupRules ?? []), USB_CGROUP_RULE],
    },
  };
}
