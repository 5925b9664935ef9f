// Stand-in VMs on the local engine for the benchmarks: the real image, the real supervisor,
// QEMU under TCG, the stand-in guest (a tiny Linux that boots in seconds).
import type Dockerode from 'dockerode';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createVmContainer } from '../../provider/docker/vm-container';
import { newIdentity } from '../../provider/resources/windows-vm/identity';
import { windowsVmInputs, type WindowsVmInputs } from '../../provider/resources/windows-vm/inputs';
import { mediaFiles } from '../../provider/resources/windows-vm/media-files';
import { toPlacement, toVmSpec } from '../../provider/resources/windows-vm/to-spec';
import type { VmSpec } from '../../contract';
import { waitForReadiness } from '../../provider/vm/readiness';
import { standinGuestDir } from '../../tests/rig/standin-guest';
import { WINDOCK_IMAGE } from '../../tests/rig/docker';
import { guestSh } from '../../tests/rig/guest-shell';

/** The kernel command line the guest's builder suggests for the fastest boot. */
export function fastCmdline(): string {
  const manifest = join(standinGuestDir(), 'manifest.json');
  if (!existsSync(manifest)) return 'console=ttyS0 quiet';
  const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { cmdline?: string };
  return parsed.cmdline ?? 'console=ttyS0 quiet';
}

/** WindowsVm inputs (as a user writes them) for the stand-in guest on the local engine. */
export function standinVmArgs(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const dir = standinGuestDir();
  return {
    name,
    host: 'local',
    media: {
      kind: 'kernel',
      kernelFile: join(dir, 'vmlinuz'),
      initrdFile: join(dir, 'initrd.img'),
      diskImageFile: join(dir, 'disk.qcow2'),
      cmdline: fastCmdline(),
    },
    cpu: 1,
    memory: '256MiB',
    systemDiskSize: '64MiB',
    firmware: 'bios',
    accelerator: 'tcg',
    readiness: 'agent',
    autostart: false,
    timeouts: { createSeconds: 300, shutdownSeconds: 30 },
    ...extra,
  };
}

export interface PlainVm {
  name: string;
  containerName: string;
  volumeName: string;
  spec: VmSpec;
  inputs: WindowsVmInputs;
}

/**
 * The container WindowsVm would make for these inputs (same spec, placement and media), made
 * directly with the library: for the "dockur way" rows and for snapshot/clone sources.
 */
export async function createPlainVm(
  docker: Dockerode,
  args: Record<string, unknown>,
  overrides: { spec?: Partial<VmSpec>; volumeName?: string; withMedia?: boolean } = {},
): Promise<PlainVm> {
  const inputs = windowsVmInputs.parse(args);
  const spec = { ...toVmSpec(inputs, newIdentity()), ...overrides.spec };
  const placement = toPlacement(inputs, spec, {
    image: WINDOCK_IMAGE,
    stack: 'bench',
    knownHostPorts: {},
    volumeName: overrides.volumeName,
  });
  await createVmContainer(docker, {
    spec,
    placement,
    storageFiles: overrides.withMedia === false ? undefined : mediaFiles(inputs.media!),
  });
  return {
    name: inputs.name,
    containerName: placement.containerName,
    volumeName: placement.volumeName,
    spec,
    inputs,
  };
}

export async function removeVm(docker: Dockerode, containerName: string, volumeName?: string): Promise<void> {
  await docker
    .getContainer(containerName)
    .remove({ force: true })
    .catch(() => undefined);
  if (volumeName)
    await docker
      .getVolume(volumeName)
      .remove()
      .catch(() => undefined);
}

/** Waits until the guest agent answers (the supervisor's "agent" readiness). */
export async function waitGuestReady(
  docker: Dockerode,
  container: string,
  timeoutMs = 300_000,
): Promise<void> {
  await waitForReadiness(docker, container, 'agent', timeoutMs);
}

export { guestSh };

/** Allocated bytes of a volume on the local engine (du of its mount point). */
export async function volumeBytes(docker: Dockerode, volume: string): Promise<number> {
  const info = await docker.getVolume(volume).inspect();
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync('du', ['-sk', info.Mountpoint], { encoding: 'utf8' });
  return Number(out.split(/\s+/)[0]) * 1024;
}
