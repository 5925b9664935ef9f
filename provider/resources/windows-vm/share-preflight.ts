import { statSync } from 'node:fs';
import type Dockerode from 'dockerode';
import type { CheckFailure } from './check';
import type { ShareInput } from './share-inputs';

/**
 * Preview-time checks of share sources on the VM's host: each volume exists (Docker would
 * otherwise make an empty one silently), and on the local host each host folder exists and
 * is a folder (Docker refuses a missing bind source only when the container is created).
 */
export async function shareSourceFailures(
  docker: Dockerode,
  shares: ShareInput[],
  hostName: string,
  local: boolean,
): Promise<CheckFailure[]> {
  const failures: CheckFailure[] = [];
  for (const [i, share] of shares.entries()) {
    if (share.volume !== undefined) {
      const found = await docker
        .getVolume(share.volume)
        .inspect()
        .then(() => true)
        .catch(() => false);
      if (!found)
        failures.push({
          property: 'shares',
          reason: `shares.${i}.volume: share "${share.name}": volume "${share.volume}" does not exist on host "${hostName}": create it (docker volume create ${share.volume}) or fix the name`,
        });
    } else if (local && share.hostPath !== undefined) {
      const stat = (() => {
        try {
          return statSync(share.hostPath);
        } catch {
          return undefined;
        }
      })();
      if (!stat?.isDirectory())
        failures.push({
          property: 'shares',
          reason: `shares.${i}.hostPath: share "${share.name}": ${share.hostPath} ${stat ? 'is not a folder' : 'does not exist'} on host "${hostName}": create the folder or fix the path`,
        });
    }
  }
  return failures;
}
