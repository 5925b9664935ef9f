import { removeIsolatedNetworkIfUnused } from '../../docker/isolated-network-cleanup';
import { removeCloneBase } from '../../vm/clone-base';
import { removeContainer } from '../../docker/containers';
import { removeVolume } from '../../docker/volumes';
import { stopVmContainer } from '../../vm/power';
import { cloneBaseOf } from './clone-bases';
import type { HostContext } from './launch';
import type { WindowsVmOutputs } from './outputs';

/** Destroy: a graceful power-down, then the container, and the volume unless it is retained. */
export async function deleteWindowsVm(context: HostContext, old: WindowsVmOutputs): Promise<void> {
  await stopVmContainer(context.docker, old.containerName, old.timeouts?.shutdownSeconds ?? 110);
  await removeContainer(context.docker, old.containerName);
  if (!old.retainStorageOnDelete) await removeVolume(context.docker, old.volumeName);
  // The last VM on the host takes the isolated network with it (kept while any container names it).
  if (!old.containerNetwork) await removeIsolatedNetworkIfUnused(context.docker).catch(() => undefined);
  // The last clone of a base takes the base with it (Docker refuses while others use it).
  const clone = cloneBaseOf(old);
  if (clone) await removeCloneBase(context.docker, clone.volume).catch(() => undefined);
}
