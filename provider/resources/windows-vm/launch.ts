import { randomBytes } from 'node:crypto';
import { consoleCertificateFingerprint, consoleTlsSecrets } from './console-tls';
import { remoteAccessText } from './remote-access';
import type Dockerode from 'dockerode';
import { createVmContainer, type VmContainerRequest } from '../../docker/vm-container';
import { startVmContainer } from '../../docker/vm-secrets';
import { gpuDevicesFor } from '../gpu-assignment/for-vm';
import type { RestoreSpec } from '../../../contract';
import { seedCloneVolume, type CloneBase } from '../../vm/clone-base';
import type { HostConfig } from '../../hosts';
import type { VmSpec } from '../../../contract';
import type { VmIdentity } from './identity';
import type { WindowsVmInputs } from './inputs';
import { mediaFiles } from './media-files';
import { unattendSecrets } from './unattend-input';
import { isInstallMedia } from './media-input';
import { ensureMediaCacheVolume } from '../../media/cache-volume';
import { fetchForVm, mediaDigests, withMediaDigests, type MediaDigests } from '../../media/fetch-for-vm';
import { resolveInstallMedia } from '../../media/resolve';
import { needsSharePassword } from './share-inputs';
import { diskImageDigests, importForVm } from '../../images/for-vm';
import { DISK_IMAGE_KEY, withCachedImage, withImageCacheMount } from '../../images/vm-spec';
import { HOST_IMAGE_SOURCE } from '../../images/cache';
import { CONTAINER_PATHS, SHARE_PASSWORD_SECRET } from '../../../contract';
import type { WindowsVmComputed, WindowsVmOutputs } from './outputs';
import { STATE_VERSION } from './outputs';
import {
  CONSOLE_CONTAINER_PORT,
  CONSOLE_TOKEN_SECRET,
  portKey,
  RDP_PORT,
  specHash,
  toPlacement,
  toVmSpec,
  type KnownHostPorts,
} from './to-spec';
import type { ContainerPlacement } from '../../docker/container-spec';
import { specArchive } from '../../docker/spec-archive';
import { putContainerArchive } from '../../docker/archives';
import { inspectContainer, removeContainer } from '../../docker/containers';
import type { DockerEngine } from '../../docker/engine';
import { ensureIsolatedNetwork } from '../../docker/vm-networks';
import { ISOLATED_NETWORK } from '../../docker/network-options';
import { lanUplinksOnHost, withMacvtapMajor } from './network-host';
import { usbNodesOnHost } from './usb-nodes';
import type { HostPathAccess } from '../../security/resolve-on-host';
import {
  resolveVmHostPaths,
  withResolvedSources,
  withShareIdentities,
  type VmHostPaths,
} from '../../security/vm-host-paths';
import { portAddresses, urlHost } from './port-addresses';

export interface HostContext {
  docker: Dockerode;
  host: HostConfig;
  image: string;
  stack: string;
}

export interface Launched {
  containerId: string;
  spec: VmSpec;
  placement: ContainerPlacement;
  warnings: string[];
}

export function newConsoleToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The share user's password: 24 characters Windows' `net use` takes as they are. */
export function newSharePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * The secret files a VM's container gets after each start (into its tmpfs): the console token, the
 * share user's password, and the answer file's secrets while an install is unfinished.
 */
export function vmSecrets(
  vm: WindowsVmInputs,
  spec: VmSpec,
  known: { consoleToken: string; sharePassword?: string },
): Record<string, string> {
  return {
    ...(vm.console.auth === 'token' ? { [CONSOLE_TOKEN_SECRET]: known.consoleToken } : {}),
    ...(vm.console.enabled ? consoleTlsSecrets(vm.console.tls) : {}),
    ...(needsSharePassword(vm) && known.sharePassword
      ? { [SHARE_PASSWORD_SECRET]: known.sharePassword }
      : {}),
    ...(spec.install?.unattend || spec.install?.answerFile ? unattendSecrets(vm.unattend) : {}),
  } as Record<string, string>;
}

/** The VM's host, to resolve its host paths on (a helper container of the VM's image). */
function hostPathAccess(context: HostContext, vm: WindowsVmInputs): HostPathAccess {
  return { docker: context.docker, hostName: context.host.name, image: vm.image ?? context.image };
}

function mentionsKvm(error: unknown): boolean {
  return /\/dev\/kvm/.test(String((error as Error)?.message ?? error));
}

/** How a VM starts beyond its inputs: as a linked clone of a base, or from a snapshot. */
export interface StartFrom {
  clone?: CloneBase;
  restore?: RestoreSpec;
  /** The install media digests the fetch step returned (state output mediaSha256). */
  mediaSha256?: MediaDigests;
}

/** The VM spec with what only the host knows: the devices of the VM's GpuAssignment. */
export async function vmSpecOnHost(
  context: HostContext,
  vm: WindowsVmInputs,
  identity: VmIdentity,
  from: StartFrom = {},
  hostPaths?: VmHostPaths,
): Promise<VmSpec> {
  // Host folders are resolved and checked on the host again at every create and restart.
  const paths = hostPaths ?? (await resolveVmHostPaths(hostPathAccess(context, vm), context.host, vm));
  const onHost = toVmSpec(vm, identity, from.clone, await lanUplinksOnHost(context.docker, vm));
  const spec: VmSpec = withMediaDigests(
    withShareIdentities(
      {
        ...withCachedImage(onHost, from.mediaSha256?.[DISK_IMAGE_KEY]),
        ...(from.restore ? { restore: from.restore } : {}),
      },
      paths,
    ),
    from.mediaSha256,
  );
  if (!vm.gpu) return spec;
  return { ...spec, devices: await gpuDevicesFor(context.docker, vm.gpu, vm.name, context.host.name) };
}

export type LaunchOptions = {
  consoleToken: string;
  /** The share user's password (a secret file; only for a VM with password-protected shares). */
  sharePassword?: string;
  knownHostPorts: KnownHostPorts;
  firstStart: boolean;
  volumeName?: string;
  /** An adopted volume: its system disk may be an overlay over a cached image, which must be there. */
  adopting?: boolean;
} & StartFrom;

/** The spec the container gets: a disk image imported into the host's cache, install media fetched. */
async function launchSpec(
  context: HostContext,
  vm: WindowsVmInputs,
  identity: VmIdentity,
  options: LaunchOptions,
  hostPaths: VmHostPaths,
): Promise<VmSpec> {
  // A disk image enters the host's image cache once; the VM starts as an overlay over it.
  const from: StartFrom = {
    ...options,
    mediaSha256: await importForVm({
      docker: context.docker,
      hostName: context.host.name,
      image: vm.image ?? context.image,
      vmName: vm.name,
      media: vm.media,
      systemDiskMiB: vm.systemDiskSize,
      firstStart: options.firstStart || options.adopting === true,
      clone: options.clone !== undefined,
      known: options.mediaSha256,
      resolvedHostPath: hostPaths.get(HOST_IMAGE_SOURCE)?.found.path,
    }),
  };
  // The cache's only writer runs first; the VM's container checks its files against these digests.
  return fetchForVm(await vmSpecOnHost(context, vm, identity, from, hostPaths), {
    docker: context.docker,
    hostName: context.host.name,
    image: vm.image ?? context.image,
    firstStart: options.firstStart,
    timeoutMs: vm.timeouts.createSeconds * 1000,
  });
}

/** Where the container goes on the host: its mounts, networks and the USB nodes found there now. */
async function launchPlacement(
  context: HostContext,
  vm: WindowsVmInputs,
  spec: VmSpec,
  options: LaunchOptions,
  hostPaths: VmHostPaths,
): Promise<ContainerPlacement> {
  const placement = withImageCacheMount(
    toPlacement(vm, spec, {
      image: vm.image ?? context.image,
      stack: context.stack,
      knownHostPorts: options.knownHostPorts,
      volumeName: options.volumeName,
      clone: options.clone,
    }),
    spec,
  );
  return {
    ...withResolvedSources(placement, hostPaths),
    networks: await withMacvtapMajor(context.docker, spec, placement.networks, placement.image),
    // Only the named USB devices' nodes, found on the host now (never all of /dev/bus/usb).
    usbDevices: await usbNodesOnHost(
      { docker: context.docker, hostName: context.host.name, image: placement.image, sysfsRoot: '/sys' },
      spec.usb ?? [],
    ),
  };
}

/** Creates the container; "auto" runs anywhere: a host without /dev/kvm gets TCG (the supervisor warns loudly). */
async function createWithTcgFallback(
  context: HostContext,
  vm: WindowsVmInputs,
  request: Omit<VmContainerRequest, 'placement'>,
  launch: { placement: ContainerPlacement; warnings: string[] },
): Promise<string> {
  try {
    return (await createVmContainer(context.docker, { ...request, placement: launch.placement })).id;
  } catch (error) {
    if (vm.accelerator !== 'auto' || !mentionsKvm(error)) throw error;
    launch.placement = { ...launch.placement, kvmDevice: false };
    launch.warnings.push(
      `host "${context.host.name}" has no /dev/kvm: the VM runs under TCG software emulation, many times slower`,
    );
    return (await createVmContainer(context.docker, { ...request, placement: launch.placement })).id;
  }
}

/** A start refused because a host port Docker chose for an earlier container is taken by now. */
function portTaken(error: unknown, options: LaunchOptions): boolean {
  return (
    Object.keys(options.knownHostPorts).length > 0 &&
    /address already in use|port is already allocated/i.test(String((error as Error).message))
  );
}

/**
 * Creates the VM's container on its (existing or new) volume and starts it when the VM should
 * run. `firstStart` fills a new volume (install media, or a clone's UEFI variables); restarts
 * reuse what is there.
 */
export async function launchVm(
  context: HostContext,
  vm: WindowsVmInputs,
  identity: VmIdentity,
  options: LaunchOptions,
): Promise<Launched> {
  const hostPaths = await resolveVmHostPaths(hostPathAccess(context, vm), context.host, vm);
  const spec = await launchSpec(context, vm, identity, options, hostPaths);
  const placement = await launchPlacement(context, vm, spec, options, hostPaths);
  if (placement.mediaCache) await ensureMediaCacheVolume(context.docker, placement.mediaCache);
  if (placement.networks?.primary === ISOLATED_NETWORK) await ensureIsolatedNetwork(context.docker);
  const launch = {
    placement,
    warnings: isInstallMedia(vm.media) ? resolveInstallMedia(vm.media).warnings : [],
  };
  const request = { spec, storageFiles: options.firstStart && vm.media ? mediaFiles(vm.media) : undefined };
  const containerId = await createWithTcgFallback(context, vm, request, launch);
  if (options.firstStart && options.clone) {
    await seedCloneVolume(context.docker, launch.placement.image, options.clone, launch.placement.volumeName);
  }
  if (vm.powerState === 'running') {
    try {
      await startVmContainer(context.docker, containerId, vmSecrets(vm, spec, options));
    } catch (error) {
      // A host port Docker chose for an earlier container may be taken by now: keep the VM's
      // storage, let Docker choose again, and say so.
      if (!portTaken(error, options)) throw error;
      const known = Object.keys(options.knownHostPorts);
      await removeContainer(context.docker, containerId, { volumes: false });
      const again = await launchVm(context, vm, identity, {
        ...options,
        knownHostPorts: {},
        firstStart: false,
        mediaSha256: { ...mediaDigests(spec), ...diskImageDigests(spec) },
      });
      again.warnings.unshift(`host ports ${known.join(', ')} used before were taken; Docker chose new ones`);
      return again;
    }
  }
  return { containerId, spec, placement: launch.placement, warnings: launch.warnings };
}

/** Writes a changed spec into an existing container (live-tier changes that the image reads at start). */
export async function rewriteSpec(docker: DockerEngine, containerId: string, spec: VmSpec): Promise<void> {
  await putContainerArchive(docker, containerId, await specArchive(spec), CONTAINER_PATHS.specDir);
}

/** Reads back what Docker made (ports it chose) and assembles the outputs. */
export async function describeVm(
  context: HostContext,
  vm: WindowsVmInputs & { changeImpact?: string },
  identity: VmIdentity,
  launched: { containerId: string; spec: VmSpec; placement: ContainerPlacement; warnings: string[] },
  extra: {
    cloneBase?: CloneBase;
    consoleToken: string;
    sharePassword?: string;
    phase: string;
    accelerator: string;
    restartPending: boolean;
    guestAddresses?: string[];
  },
): Promise<WindowsVmOutputs> {
  const published: Record<string, number> = {};
  try {
    const info = await inspectContainer(context.docker, launched.containerId);
    for (const [key, bindings] of Object.entries(info?.NetworkSettings.Ports ?? {})) {
      const port = bindings?.[0]?.HostPort;
      if (port) published[key] = Number(port);
    }
  } catch {
    // A stopped or missing container has no bound ports; keep what is known.
  }
  const consolePort = published[portKey(CONSOLE_CONTAINER_PORT, 'tcp')];
  const rdpPort = published[portKey(RDP_PORT, 'tcp')];
  const consoleUrl =
    vm.console.enabled && consolePort
      ? `${vm.console.tls ? 'https' : 'http'}://${urlHost(vm.console.bind, context.host)}:${consolePort}/` +
        (vm.console.auth === 'token' ? `?token=${extra.consoleToken}` : '')
      : '';
  const computed: WindowsVmComputed = {
    stateVersion: STATE_VERSION,
    // What this create or update did: the state keeps it as history, not as a plan.
    changeImpact: vm.changeImpact ? `last applied: ${vm.changeImpact}` : '',
    vmUuid: identity.uuid,
    macAddress: identity.mac,
    serial: identity.serial,
    containerName: launched.placement.containerName,
    containerId: launched.containerId,
    volumeName: launched.placement.volumeName,
    specHash: specHash(launched.spec),
    phase: extra.phase,
    activeAccelerator: extra.accelerator,
    publishedPorts: published,
    consoleUrl,
    consoleToken: vm.console.auth === 'token' ? extra.consoleToken : '',
    consoleCertificateFingerprint: vm.console.enabled
      ? await consoleCertificateFingerprint(context.docker, launched.containerId, vm.console.tls)
      : '',
    sharePassword: needsSharePassword(vm) ? (extra.sharePassword ?? '') : '',
    rdpEndpoint: vm.rdp.enabled && rdpPort ? `${urlHost(vm.rdp.bind, context.host)}:${rdpPort}` : '',
    portAddresses: portAddresses(vm, published, context.host),
    remoteAccess: remoteAccessText(vm, context.host, context.stack),
    restartPending: extra.restartPending,
    guestAddresses: extra.guestAddresses ?? [],
    cloneBase: extra.cloneBase ? JSON.stringify(extra.cloneBase) : '',
    mediaSha256: { ...mediaDigests(launched.spec), ...diskImageDigests(launched.spec) },
    warnings: launched.warnings,
  };
  return { ...vm, ...computed };
}
