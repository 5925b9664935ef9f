import type { DockerEngine } from '../../docker/engine';
import { volumeExists } from '../../docker/volumes';
import type { HostConfig } from '../../hosts';
import type { HostPathAccess } from '../../security/resolve-on-host';
import { checkVmHostPaths } from '../../security/vm-host-paths';
import type { CheckFailure } from './check';
import type { WindowsVmInputs } from './inputs';
import type { ShareInput } from './share-inputs';

/** Preview-time check of share volumes on the VM's host: each exists (Docker would otherwise make an empty one silently). */
export async function shareSourceFailures(
  docker: DockerEngine,
  shares: ShareInput[],
  hostName: string,
): Promise<CheckFailure[]> {
  const failures: CheckFailure[] = [];
  for (const [i, share] of shares.entries()) {
    if (share.volume === undefined) continue;
    const found = await volumeExists(docker, share.volume).catch(() => false);
    if (!found)
      failures.push({
        property: 'shares',
        reason: `shares.${i}.volume: share "${share.name}": volume "${share.volume}" does not exist on host "${hostName}": create it (docker volume create ${share.volume}) or fix the name`,
      });
  }
  return failures;
}

/**
 * Preview-time check of every host path of the VM (share folders, install and drivers ISOs),
 * resolved on the VM's host itself, local or remote: it exists, is of the right type, is inside
 * the host's allowedHostPaths and is no system location once links and bind mounts are seen.
 */
export async function hostPathFailures(
  access: HostPathAccess,
  host: HostConfig,
  vm: Pick<WindowsVmInputs, 'shares' | 'media' | 'drivers'>,
): Promise<CheckFailure[]> {
  const { refusals } = await checkVmHostPaths(access, host, vm);
  return refusals.map(({ use, reason }) => ({ property: use.field.split('.')[0]!, reason }));
}
