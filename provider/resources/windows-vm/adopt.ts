import { CONTAINER_PATHS } from '../../../contract';
import { requireContainer } from '../../docker/containers';
import { isNotFound } from '../../docker/errors';
import { inspectVolume } from '../../docker/volumes';
import { identityFor, type VmIdentity } from './identity';
import type { WindowsVmInputs } from './inputs';
import type { HostContext } from './launch';
import { LABELS } from './naming';

export interface Adoptable {
  identity: VmIdentity;
  volumeName: string;
  /** The adopted container, stopped and replaced by this VM's. */
  container?: string;
}

/**
 * Finds what `adopt` names on the host: a windock container (its volume and identity) or a
 * retained windock volume. Anything not made by windock is refused: adoption never takes over
 * foreign data.
 */
export async function findAdoptable(
  context: HostContext,
  adopt: NonNullable<WindowsVmInputs['adopt']>,
): Promise<Adoptable> {
  const where = `on host "${context.host.name}"`;
  if (adopt.container) {
    let info;
    try {
      info = await requireContainer(context.docker, adopt.container);
    } catch (error) {
      if (isNotFound(error))
        throw new Error(`adopt.container: no container "${adopt.container}" ${where}`, { cause: error });
      throw error;
    }
    const uuid = info.Config.Labels?.[LABELS.uuid];
    const volume = info.Mounts.find((mount) => mount.Destination === CONTAINER_PATHS.storage)?.Name;
    if (info.Config.Labels?.[LABELS.managed] !== 'true' || !uuid || !volume) {
      throw new Error(
        `adopt.container: "${adopt.container}" ${where} is not a windock VM container (no windock labels or storage volume)`,
      );
    }
    return { identity: identityFor(uuid), volumeName: volume, container: adopt.container };
  }
  const volume = await inspectVolume(context.docker, adopt.volume!);
  if (!volume) throw new Error(`adopt.volume: no volume "${adopt.volume}" ${where}`);
  const uuid = volume.Labels?.[LABELS.uuid];
  if (volume.Labels?.[LABELS.managed] !== 'true' || !uuid) {
    throw new Error(
      `adopt.volume: "${adopt.volume}" ${where} is not a windock VM volume (no windock labels)`,
    );
  }
  return { identity: identityFor(uuid), volumeName: adopt.volume! };
}
