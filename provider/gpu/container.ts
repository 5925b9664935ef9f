import type Dockerode from 'dockerode';
import { vfioDeviceNodes, type DevicesSpec } from '../../contract/passthrough';
import { inUseLabel } from './reservation';

/** The part of the VM spec this reads (`devices` is absent on a VM without passthrough). */
export interface PassthroughContainerView {
  memoryMiB: number;
  devices?: DevicesSpec;
}

/** VFIO pins all guest RAM (and some for ROMs and rings): the container's memlock limit covers it, no more. */
export function memlockBytes(spec: PassthroughContainerView): number {
  return (spec.memoryMiB + 1024) * 1024 ** 2;
}

/**
 * A VM container's options with its passed-through devices, least privilege kept: still not
 * privileged and no capability added; only /dev/vfio/vfio and /dev/vfio/<group> of its own
 * devices, a memlock limit for pinned guest RAM, each ROM file bind-mounted read-only, and a
 * label per device so a GpuAssignment is not released under a VM that uses it. Pure; returns
 * the options unchanged when the spec has no devices.
 */
export function withPassthrough(
  spec: PassthroughContainerView,
  options: Dockerode.ContainerCreateOptions,
): Dockerode.ContainerCreateOptions {
  const nodes = vfioDeviceNodes(spec.devices);
  if (nodes.length === 0) return options;
  const devices = spec.devices!.pci;
  const labels: Record<string, string> = {};
  for (const device of devices) {
    if (device.kind === 'pci') device.functions.forEach((fn) => (labels[inUseLabel(fn.address)] = device.id));
    else labels[inUseLabel(device.uuid)] = device.id;
  }
  const roms: Dockerode.MountSettings[] = devices.flatMap((device) =>
    device.kind === 'pci' && device.rom
      ? [{ Type: 'bind' as const, Source: device.rom.hostFile, Target: device.rom.file, ReadOnly: true }]
      : [],
  );
  const host = options.HostConfig ?? {};
  return {
    ...options,
    Labels: { ...(options.Labels ?? {}), ...labels },
    HostConfig: {
      ...host,
      Devices: [
        ...(host.Devices ?? []),
        ...nodes.map((node) => ({ PathOnHost: node, PathInContainer: node, CgroupPermissions: 'rwm' })),
      ],
      Mounts: [...(host.Mounts ?? []), ...roms],
      Ulimits: [
        ...(host.Ulimits ?? []).filter((u) => u.Name !== 'memlock'),
        { Name: 'memlock', Soft: memlockBytes(spec), Hard: memlockBytes(spec) },
      ],
    },
  };
}
