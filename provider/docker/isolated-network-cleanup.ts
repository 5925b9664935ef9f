import type Dockerode from 'dockerode';
import { ISOLATED_NETWORK } from './network-options';
import { ensureIsolatedNetwork } from './vm-networks';

const status = (error: unknown) => (error as { statusCode?: number }).statusCode;

/** Docker refuses to remove a network that still has endpoints (403 up to 20.10, 409 later). */
function inUse(error: unknown): boolean {
  return (
    status(error) === 403 ||
    status(error) === 409 ||
    /active endpoints/i.test(String((error as Error).message))
  );
}

/**
 * Removes the per-host isolated network once no container on the host names it, whatever its
 * stack and state: Docker lists created (never started) containers under the network filter too,
 * though it would let the network go under them (only running ones hold endpoints). A container
 * that joins between the listing and the removal keeps it (Docker refuses: in use); one created
 * but not started meanwhile gets it back at its start (startWithIsolatedNetwork).
 * Returns whether a network was removed.
 */
export async function removeIsolatedNetworkIfUnused(
  docker: Dockerode,
  name = ISOLATED_NETWORK,
): Promise<boolean> {
  const users = await docker.listContainers({ all: true, filters: { network: [name] } });
  if (users.length > 0) return false;
  const networks = (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name);
  let removed = false;
  for (const network of networks) {
    try {
      await docker.getNetwork(network.Id).remove();
      removed = true;
    } catch (error) {
      if (status(error) === 404) continue;
      if (inUse(error)) return false;
      throw error;
    }
  }
  return removed;
}

function missingNetwork(error: unknown, name: string): boolean {
  return status(error) === 404 && String((error as Error).message).includes(`network ${name} not found`);
}

/**
 * Runs a create or start of a container on the isolated network; if the network went away just
 * before (the last other VM on the host was deleted in between: removal sees only existing
 * containers, and Docker lets a network go under a created one), makes it again and runs once more.
 */
export async function withIsolatedNetwork<T>(
  docker: Dockerode,
  action: () => Promise<T>,
  name = ISOLATED_NETWORK,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (!missingNetwork(error, name)) throw error;
    await ensureIsolatedNetwork(docker, name);
    return action();
  }
}

/** Starts a container, making its isolated network again if it went away (withIsolatedNetwork). */
export function startWithIsolatedNetwork(
  docker: Dockerode,
  container: string,
  name = ISOLATED_NETWORK,
): Promise<void> {
  return withIsolatedNetwork(docker, () => docker.getContainer(container).start() as Promise<void>, name);
}
