import type Dockerode from 'dockerode';
import { CONTAINER_PATHS, type VmSpec } from '../../contract';
import { containerCreateOptions, type ContainerPlacement } from './container-spec';
import { specArchive, tarArchive, type ArchiveFile } from './spec-archive';
import { connectLanNetworks } from './vm-networks';
import { withIsolatedNetwork } from './isolated-network-cleanup';
import { getContainerArchive } from './archives';
import { requireContainer } from './containers';
import { volumeExists } from './volumes';

export interface VmContainerRequest {
  spec: VmSpec;
  placement: ContainerPlacement;
  /** Files to place in the storage volume before the first start (paths relative to /storage). */
  storageFiles?: ArchiveFile[];
  volumeLabels?: Record<string, string>;
}

const COMPLETE_MARKER = 'created';

/**
 * Whether a container is the leftover of a create that never finished (its host dropped away
 * mid-way, so no cleanup ran): a windock container, never started, without the marker that
 * createVmContainer writes last. Such a container holds nothing of value and may be swept.
 */
export async function isIncompleteVmContainer(docker: Dockerode, name: string): Promise<boolean> {
  const info = await requireContainer(docker, name);
  if (info.Config.Labels?.['io.windock.managed'] !== 'true' || info.State.Status !== 'created') return false;
  return (await getContainerArchive(docker, name, `/etc/windock/${COMPLETE_MARKER}`)) === undefined;
}

/**
 * Creates (without starting) the container of one VM on its storage volume, with the spec and
 * secrets written into it. Nothing half made is left: a failure after the container exists
 * removes the container, and a volume made here is removed only if it is still new.
 */
export async function createVmContainer(
  docker: Dockerode,
  request: VmContainerRequest,
): Promise<Dockerode.Container> {
  const { spec, placement } = request;
  const volumeIsNew = !(await volumeExists(docker, placement.volumeName));
  if (volumeIsNew)
    await docker.createVolume({
      Name: placement.volumeName,
      Labels: request.volumeLabels ?? placement.labels,
    });
  let container: Dockerode.Container | undefined;
  try {
    container = await withIsolatedNetwork(docker, () =>
      docker.createContainer(containerCreateOptions(spec, placement)),
    );
    await connectLanNetworks(docker, container.id, placement.networks);
    // Secrets are not written here: they reach the tmpfs after each start (vm-secrets.ts).
    await container.putArchive(await specArchive(spec), { path: CONTAINER_PATHS.specDir });
    if (request.storageFiles?.length) {
      await container.putArchive(await tarArchive(request.storageFiles), { path: CONTAINER_PATHS.storage });
    }
    // Written last: a container without it is the leftover of a create that lost its host.
    await container.putArchive(
      await tarArchive([{ path: COMPLETE_MARKER, content: new Date().toISOString() }]),
      {
        path: CONTAINER_PATHS.specDir,
      },
    );
    return container;
  } catch (error) {
    await container?.remove({ force: true }).catch(() => undefined);
    if (volumeIsNew)
      await docker
        .getVolume(placement.volumeName)
        .remove()
        .catch(() => undefined);
    throw error;
  }
}
