import { CONTAINER_PATHS, STORAGE_PATHS } from '../../../contract';
import { getContainerArchive } from '../../docker/archives';
import { containerExists, requireContainer } from '../../docker/containers';
import { isIncompleteVmContainer } from '../../docker/vm-container';
import { inspectVolume } from '../../docker/volumes';
import { removeContainer } from '../../docker/containers';
import { removeVolume } from '../../docker/volumes';
import type { HostContext } from './launch';
import { LABELS } from './naming';

/**
 * A create that lost its host mid-way (SSH dropped while the media were copied) leaves a
 * container that never started and never got its completion marker, and its new volume; the
 * next create of the same VM removes them instead of refusing the name.
 */
export async function sweepIncompleteCreate(context: HostContext, name: string): Promise<void> {
  const { docker } = context;
  if (!(await containerExists(docker, name)) || !(await isIncompleteVmContainer(docker, name))) return;
  const info = await requireContainer(docker, name);
  const volume = info.Mounts.find((mount) => mount.Destination === CONTAINER_PATHS.storage)?.Name;
  // The volume goes too only if it never ran a VM (no ownership record: an adopted or retained
  // volume has one) and that same attempt made it (same VM identity).
  const neverRan = await getContainerArchive(docker, name, STORAGE_PATHS.record).then(
    (archive) => archive === undefined,
    () => false,
  );
  await removeContainer(docker, name);
  if (!volume || !neverRan) return;
  const labels = (await inspectVolume(docker, volume).catch(() => undefined))?.Labels ?? {};
  if (labels[LABELS.uuid] === info.Config.Labels?.[LABELS.uuid]) {
    await removeVolume(docker, volume).catch(() => undefined);
  }
}
