// A VM's container on its host, or a "not found" that names the host looked at and what is there:
// distinct from "the guest agent does not answer" (the VM exists but its guest is not ready).
import { inspectContainer, listContainers, type ContainerInfo } from '../docker/containers';
import type { DockerEngine } from '../docker/engine';
import { LABELS } from '../resources/windows-vm/naming';
import { VmNotFoundError, type VmTarget } from './stack-hosts';

/** The windock VMs on a host: name, container state. */
export async function vmsOnHost(
  docker: DockerEngine,
): Promise<Array<{ vm: string; container: string; state: string }>> {
  const containers = await listContainers(docker, { label: [`${LABELS.managed}=true`] });
  return containers
    .map((c) => ({
      vm: c.Labels?.[LABELS.vm] ?? c.Names[0]?.replace(/^\/windock-/, '') ?? c.Id,
      container: c.Names[0]?.replace(/^\//, '') ?? c.Id,
      state: c.State,
    }))
    .sort((a, b) => a.vm.localeCompare(b.vm));
}

/** Inspects the VM's container; a missing one is a VmNotFoundError naming the host and its VMs. */
export async function requireVmContainer(docker: DockerEngine, target: VmTarget): Promise<ContainerInfo> {
  const info = await inspectContainer(docker, target.container);
  if (info) return info;
  const others = await vmsOnHost(docker).catch(() => []);
  const there = others.map((v) => `${v.vm} (${v.state})`).join(', ') || 'none';
  throw new VmNotFoundError(
    `no VM "${target.vm}" on host "${target.host.name}" (no container ${target.container} there; host from ${target.via}). ` +
      `VMs on that host: ${there}. \`windock list --host ${target.host.name}\` lists them.`,
  );
}

/** Like requireVmContainer, and the container must be running (ports are bound only then). */
export async function requireRunningVm(docker: DockerEngine, target: VmTarget): Promise<ContainerInfo> {
  const info = await requireVmContainer(docker, target);
  if (!info.State.Running) {
    throw new Error(
      `VM "${target.vm}" on host "${target.host.name}" is not running (${info.State.Status}): set powerState "running" and run pulumi up`,
    );
  }
  return info;
}
