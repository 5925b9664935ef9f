import { createHash } from 'node:crypto';
import type { ContainerPlacement, PublishedPort } from '../../docker/container-spec';
import {
  STORAGE_PATHS,
  VM_SPEC_VERSION,
  type DiskSpec,
  type InstallMediaSpec,
  type InstallSpec,
  type PortForward,
  type VmSpec,
} from '../../../contract';
import { baseMount, cloneDisks, type CloneBase } from '../../vm/clone-base';
import type { VmIdentity } from './identity';
import type { WindowsVmInputs } from './inputs';
import { containerNameOf, LABELS, volumeNameOf } from './naming';
import { isInstallMedia, type InstallMediaInput } from './media-input';
import { withUnattend } from './unattend-input';
import { consoleTlsSpecOf } from './console-tls';
import { HOST_ISO_PATH, MEDIA_CACHE_VOLUME, resolveInstallMedia } from '../../media/resolve';
import { HOST_DRIVERS_ISO_PATH, resolveInstallDrivers } from '../../media/drivers';
import { shareMounts, sharesToSpec } from './share-inputs';
import { audioSpecOf, recordingSpecOf, usbSpec } from './device-inputs';
import { effectiveNics, forwardingNicIndex } from './network-inputs';
import { containerNetworksOf, networkSpecOf, type LanUplinks } from './network-to-spec';

export const CONSOLE_CONTAINER_PORT = 8006;
export const RDP_PORT = 3389;
/** Container-side ports of user forwards start here, clear of the console's and RDP's. */
export const FORWARD_BASE_PORT = 20000;
export const CONSOLE_TOKEN_SECRET = 'console-token';

/** Host ports Docker chose earlier, reused on a restart so URLs stay the same. */
export type KnownHostPorts = Record<string, number>;

export function portKey(containerPort: number, protocol: 'tcp' | 'udp'): string {
  return `${containerPort}/${protocol}`;
}

function forwards(vm: WindowsVmInputs): Array<PortForward & { bind: string; hostPort?: number }> {
  if (forwardingNicIndex(effectiveNics(vm)) < 0) return [];
  const list: Array<PortForward & { bind: string; hostPort?: number }> = [];
  if (vm.rdp.enabled) {
    for (const protocol of ['tcp', 'udp'] as const) {
      list.push({
        name: 'rdp',
        protocol,
        guest: RDP_PORT,
        container: RDP_PORT,
        bind: vm.rdp.bind,
        hostPort: vm.rdp.hostPort,
      });
    }
  }
  vm.ports.forEach((port, i) =>
    list.push({
      name: port.name,
      protocol: port.protocol,
      guest: port.guest,
      container: FORWARD_BASE_PORT + i,
      bind: port.bind,
      hostPort: port.hostPort,
    }),
  );
  return list;
}

function mediaDisk(vm: WindowsVmInputs): DiskSpec {
  const size = vm.systemDiskSize;
  // A linked clone has no media: its system disk becomes an overlay over its base.
  if (!vm.media)
    return { name: 'system', sizeMiB: size, format: 'qcow2', source: { kind: 'blank' }, readOnly: false };
  switch (vm.media.kind) {
    // Both import a disk image: launch turns the source into an overlay over the host's
    // image cache (provider/images) once the image's digest is known.
    case 'kernel':
      return {
        name: 'system',
        sizeMiB: size,
        format: 'qcow2',
        source: { kind: 'import', path: `${STORAGE_PATHS.importDir}/system.qcow2`, format: 'qcow2' },
        readOnly: false,
      };
    case 'disk-image':
      return {
        name: 'system',
        sizeMiB: size,
        format: 'qcow2',
        source: {
          kind: 'import',
          path: `${STORAGE_PATHS.importDir}/system.${vm.media.format}`,
          format: vm.media.format,
        },
        readOnly: false,
      };
    default:
      // A fresh install: a blank system disk, Windows setup writes it from the install media.
      return { name: 'system', sizeMiB: size, format: 'qcow2', source: { kind: 'blank' }, readOnly: false };
  }
}

/** A spec turned into a linked clone of `base`: overlays over its disks, its way of booting. Pure. */
export function asLinkedClone(spec: VmSpec, base: CloneBase): VmSpec {
  const source = base.sourceSpec.boot;
  const boot: VmSpec['boot'] =
    source.kind === 'kernel' && base.bootDir
      ? {
          ...source,
          kernel: source.kernel.replace(STORAGE_PATHS.bootDir, base.bootDir),
          initrd: source.initrd.replace(STORAGE_PATHS.bootDir, base.bootDir),
        }
      : { kind: 'disk' };
  return { ...spec, boot, disks: cloneDisks(base, spec) };
}

/** A catalogue install names its language: Setup's UI language must be the media's (answer file). */
function withMediaLanguage(install: InstallSpec, media: InstallMediaInput): InstallSpec {
  if (media.kind !== 'windows') return install;
  return { ...install, windows: { ...install.windows, language: media.language } };
}

/** The install's drivers media (none for drivers kind "none"). */
function installDrivers(vm: WindowsVmInputs): { drivers?: InstallMediaSpec } {
  const { drivers } = resolveInstallDrivers(vm.drivers);
  return drivers ? { drivers } : {};
}

/**
 * The VM spec for these inputs (a linked clone's when `clone` is given). `lanUplinks`, the
 * subnets of lan NICs' Docker networks, come from the host (vmSpecOnHost). Pure.
 */
export function toVmSpec(
  vm: WindowsVmInputs,
  identity: VmIdentity,
  clone?: CloneBase,
  lanUplinks?: LanUplinks,
): VmSpec {
  const spec: VmSpec = {
    specVersion: VM_SPEC_VERSION,
    name: vm.name,
    accelerator: vm.accelerator,
    machine: 'pc-q35-7.2',
    cpu: { cores: vm.cpu },
    memoryMiB: vm.memory,
    firmware: { type: vm.firmware, tpm: vm.tpm },
    boot:
      vm.media?.kind === 'kernel'
        ? {
            kind: 'kernel',
            kernel: `${STORAGE_PATHS.bootDir}/vmlinuz`,
            initrd: `${STORAGE_PATHS.bootDir}/initrd.img`,
            cmdline: vm.media.cmdline,
          }
        : { kind: 'disk' },
    identity: { uuid: identity.uuid, serial: identity.serial },
    disks: [
      mediaDisk(vm),
      ...vm.disks.map((disk) => ({
        name: disk.name,
        sizeMiB: disk.size,
        format: disk.format,
        source: { kind: 'blank' as const },
        readOnly: false,
      })),
    ],
    network: networkSpecOf(vm, {
      mac: identity.mac,
      forwards: forwards(vm).map(({ name, protocol, guest, container }) => ({
        name,
        protocol,
        guest,
        container,
      })),
      excludePorts: vm.console.enabled ? [CONSOLE_CONTAINER_PORT] : [],
      lanUplinks,
    }),
    console: {
      enabled: vm.console.enabled,
      port: CONSOLE_CONTAINER_PORT,
      viewOnly: vm.console.viewOnly,
      auth: vm.console.auth === 'token' ? { kind: 'token', secret: CONSOLE_TOKEN_SECRET } : { kind: 'none' },
      ...(vm.console.tls ? { tls: consoleTlsSpecOf(vm.console.tls) } : {}),
    },
    snapshots: { enabled: vm.snapshots },
    guestAgent: { enabled: vm.guestAgent },
    power: { shutdownTimeoutSeconds: vm.timeouts.shutdownSeconds, powerdownIntervalSeconds: 2 },
    allowReinstall: false,
    ...(isInstallMedia(vm.media)
      ? {
          install: {
            ...withMediaLanguage(resolveInstallMedia(vm.media).install, vm.media),
            ...installDrivers(vm),
          },
        }
      : {}),
  };
  const shares = sharesToSpec(vm);
  if (shares) spec.shares = shares;
  if (vm.usb.length > 0) spec.usb = usbSpec(vm.usb);
  const audio = audioSpecOf(vm.audio);
  if (audio) spec.audio = audio;
  const recording = recordingSpecOf(vm.recording);
  if (recording) spec.recording = recording;
  const installed = withUnattend(spec, vm.name, vm.unattend);
  return clone ? asLinkedClone(installed, clone) : installed;
}

export function specHash(spec: VmSpec): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
}

export interface PlacementContext {
  image: string;
  stack: string;
  knownHostPorts: KnownHostPorts;
  /** The volume of an adopted VM keeps its own name. */
  volumeName?: string;
  /** A linked clone mounts its base read-only. */
  clone?: CloneBase;
}

/** The host's media cache for downloaded install media; an ISO on the host, read-only. */
function mediaMounts(
  vm: WindowsVmInputs,
  spec: VmSpec,
): Pick<ContainerPlacement, 'mediaCache' | 'hostFiles'> {
  if (!spec.install || !isInstallMedia(vm.media)) return {};
  const { media, drivers } = spec.install;
  const cached = [media, drivers].some((m) => m && m.source.kind !== 'host-file');
  const mediaFile = resolveInstallMedia(vm.media).hostFile;
  const driversFile = resolveInstallDrivers(vm.drivers).hostFile;
  const hostFiles = [
    ...(mediaFile ? [{ source: mediaFile, target: HOST_ISO_PATH }] : []),
    ...(driversFile ? [{ source: driversFile, target: HOST_DRIVERS_ISO_PATH }] : []),
  ];
  return {
    ...(cached ? { mediaCache: MEDIA_CACHE_VOLUME } : {}),
    ...(hostFiles.length > 0 ? { hostFiles } : {}),
  };
}

/** Where and how the VM's container runs on its host. Pure. */
export function toPlacement(
  vm: WindowsVmInputs,
  spec: VmSpec,
  context: PlacementContext,
): ContainerPlacement {
  const published: PublishedPort[] = forwards(vm).map((forward) => ({
    containerPort: forward.container,
    protocol: forward.protocol,
    hostIp: forward.bind,
    hostPort: forward.hostPort ?? context.knownHostPorts[portKey(forward.container, forward.protocol)] ?? 0,
  }));
  if (vm.console.enabled) {
    published.push({
      containerPort: CONSOLE_CONTAINER_PORT,
      protocol: 'tcp',
      hostIp: vm.console.bind,
      hostPort: vm.console.hostPort ?? context.knownHostPorts[portKey(CONSOLE_CONTAINER_PORT, 'tcp')] ?? 0,
    });
  }
  return {
    containerName: containerNameOf(vm.name),
    image: context.image,
    volumeName: context.volumeName ?? volumeNameOf(vm.name, spec.identity.uuid),
    labels: {
      ...Object.fromEntries(Object.entries(vm.labels).map(([k, v]) => [`user.${k}`, v])),
      [LABELS.managed]: 'true',
      [LABELS.vm]: vm.name,
      [LABELS.uuid]: spec.identity.uuid,
      [LABELS.specHash]: specHash(spec),
      ...(context.stack ? { [LABELS.stack]: context.stack } : {}),
    },
    published,
    kvmDevice: vm.accelerator !== 'tcg',
    ...(context.clone ? { extraVolumes: [baseMount(context.clone)] } : {}),
    ...mediaMounts(vm, spec),
    ...(vm.shares.length > 0 ? { shareMounts: shareMounts(vm) } : {}),
    restartPolicy: vm.autostart ? 'unless-stopped' : 'no',
    networks: containerNetworksOf(vm),
  };
}
