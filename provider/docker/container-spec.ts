import type Dockerode from 'dockerode';
import { withPassthrough } from '../gpu/container';
import { withShares, type ShareMount } from '../shares/container';
import { CONTAINER_PATHS, type VmSpec } from '../../contract';
import { withNetwork, type ContainerNetworks } from './network-options';
import { withUsb, type UsbDeviceNode } from './usb-container';

export interface PublishedPort {
  /** Port inside the container (the console's, or a forward's `container` port). */
  containerPort: number;
  protocol: 'tcp' | 'udp';
  /** Host address to bind: 127.0.0.1 unless the user opens it. */
  hostIp: string;
  /** Host port; 0 lets Docker choose a free one. */
  hostPort: number;
}

export interface ContainerPlacement {
  containerName: string;
  image: string;
  volumeName: string;
  labels: Record<string, string>;
  published: PublishedPort[];
  /** The host's KVM device is passed in unless the spec asks for TCG. */
  kvmDevice: boolean;
  restartPolicy: 'no' | 'unless-stopped' | 'on-failure';
  /** More volumes, e.g. a linked clone's base, mounted read-only (clone bases are never written). */
  extraVolumes?: Array<{ volume: string; target: string; readOnly: boolean }>;
  /** The host's media cache volume, mounted read-only at /cache (only the provider's fetch step writes it). */
  mediaCache?: string;
  /** Files on the host (an install ISO) bind-mounted read-only. */
  hostFiles?: Array<{ source: string; target: string }>;
  /** Shared folders' sources (host folders or volumes), mounted at /shares/NAME; smbd's capabilities come with them. */
  shareMounts?: ShareMount[];
  /** The device nodes of the spec's USB devices on the host (usb-nodes.ts); only these are passed in. */
  usbDevices?: UsbDeviceNode[];
  /** Docker networks (network-options.ts); none: Docker's default bridge. */
  networks?: ContainerNetworks;
}

/** QEMU itself, its I/O threads and the supervisor need room above the guest's RAM. */
export function memoryLimitBytes(spec: VmSpec): number {
  const headroomMiB = Math.max(768, Math.ceil(spec.memoryMiB * 0.15));
  return (spec.memoryMiB + headroomMiB) * 1024 ** 2;
}

/** Docker must never kill a guest that is still shutting down: its timeout outlasts ours. */
export function stopTimeoutSeconds(spec: VmSpec): number {
  return spec.power.shutdownTimeoutSeconds + 15;
}

/**
 * The container for one VM, with least privilege: never privileged, every capability
 * dropped, no new privileges, only the device nodes the spec needs, no environment (the
 * spec and secrets arrive as files), and ports bound where the placement says. Pure.
 */
export function containerCreateOptions(
  spec: VmSpec,
  placement: ContainerPlacement,
): Dockerode.ContainerCreateOptions {
  const ports = portOptions(placement);
  const options = withPassthrough(spec, {
    name: placement.containerName,
    Image: placement.image,
    Hostname: spec.name,
    Labels: placement.labels,
    Env: [],
    ExposedPorts: ports.exposed,
    StopSignal: 'SIGTERM',
    StopTimeout: stopTimeoutSeconds(spec),
    HostConfig: {
      Privileged: false,
      CapDrop: ['ALL'],
      CapAdd: [],
      SecurityOpt: ['no-new-privileges:true'],
      Devices: deviceMappings(spec, placement),
      Mounts: volumeMounts(placement),
      Tmpfs: { [CONTAINER_PATHS.run]: 'rw,nosuid,nodev,noexec,mode=0700' },
      PortBindings: ports.bindings,
      Memory: memoryLimitBytes(spec),
      PidsLimit: 512,
      RestartPolicy: { Name: placement.restartPolicy },
      Init: false,
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
    },
  });
  return withUsb(
    spec,
    withShares(placement.shareMounts ?? [], withNetwork(spec, placement.networks, options)),
    placement.usbDevices,
  );
}

/** /dev/kvm where the placement uses KVM, and each passed-through block device. */
function deviceMappings(spec: VmSpec, placement: ContainerPlacement): Dockerode.DeviceMapping[] {
  const devices: Dockerode.DeviceMapping[] = [];
  if (placement.kvmDevice)
    devices.push({ PathOnHost: '/dev/kvm', PathInContainer: '/dev/kvm', CgroupPermissions: 'rwm' });
  for (const disk of spec.disks) {
    if (disk.source.kind === 'block-device') {
      devices.push({
        PathOnHost: disk.source.device,
        PathInContainer: disk.source.device,
        CgroupPermissions: disk.readOnly ? 'r' : 'rw',
      });
    }
  }
  return devices;
}

function portOptions(placement: ContainerPlacement): {
  exposed: Record<string, object>;
  bindings: Record<string, Array<{ HostIp: string; HostPort: string }>>;
} {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const port of placement.published) {
    const key = `${port.containerPort}/${port.protocol}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({
      HostIp: port.hostIp,
      HostPort: port.hostPort === 0 ? '' : String(port.hostPort),
    });
  }
  return { exposed, bindings };
}

/** The VM's volume, extra volumes, the read-only media cache and read-only host files. */
function volumeMounts(placement: ContainerPlacement): Dockerode.MountSettings[] {
  return [
    { Type: 'volume', Source: placement.volumeName, Target: CONTAINER_PATHS.storage },
    ...(placement.extraVolumes ?? []).map((m) => ({
      Type: 'volume' as const,
      Source: m.volume,
      Target: m.target,
      ReadOnly: m.readOnly,
    })),
    ...(placement.mediaCache
      ? [
          {
            Type: 'volume' as const,
            Source: placement.mediaCache,
            Target: CONTAINER_PATHS.mediaCache,
            ReadOnly: true,
          },
        ]
      : []),
    ...(placement.hostFiles ?? []).map((f) => ({
      Type: 'bind' as const,
      Source: f.source,
      Target: f.target,
      ReadOnly: true,
    })),
  ];
}
