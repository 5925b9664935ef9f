import type Dockerode from 'dockerode';
import { inspectNetwork } from './networks';
import {
  ISOLATED_NETWORK,
  isolatedNetworkOptions,
  lanEndpointConfig,
  type ContainerNetworks,
} from './network-options';

const status = (error: unknown) => (error as { statusCode?: number }).statusCode;

/** One isolated-network creation at a time per engine client and name: parallel creates share it. */
const creating = new WeakMap<Dockerode, Map<string, Promise<void>>>();

/**
 * Creates the per-host isolated network once. Parallel creates in this process share one call;
 * Docker's CheckDuplicate is not atomic, so a create racing another process can still make a
 * second network of the same name (which makes the name ambiguous for every later container):
 * all but the oldest are removed again. `name` is for tests; VMs use ISOLATED_NETWORK.
 */
export function ensureIsolatedNetwork(docker: Dockerode, name = ISOLATED_NETWORK): Promise<void> {
  const inFlight = creating.get(docker) ?? new Map<string, Promise<void>>();
  creating.set(docker, inFlight);
  const pending = inFlight.get(name);
  if (pending) return pending;
  const made = createIsolatedNetwork(docker, name).finally(() => inFlight.delete(name));
  inFlight.set(name, made);
  return made;
}

async function createIsolatedNetwork(docker: Dockerode, name: string): Promise<void> {
  const existing = await isolatedNetworks(docker, name);
  if (existing.length === 1) return;
  if (existing.length === 0) {
    try {
      await docker.createNetwork(isolatedNetworkOptions(name));
    } catch (error) {
      if (status(error) !== 409) throw error;
    }
  }
  const [, ...duplicates] = (await isolatedNetworks(docker, name)).sort((a, b) =>
    a.Created === b.Created ? a.Id.localeCompare(b.Id) : a.Created.localeCompare(b.Created),
  );
  for (const duplicate of duplicates)
    await docker
      .getNetwork(duplicate.Id)
      .remove()
      .catch(() => undefined);
}

async function isolatedNetworks(docker: Dockerode, name: string): Promise<Dockerode.NetworkInspectInfo[]> {
  const listed = await docker.listNetworks({ filters: { name: [name] } });
  // The name filter matches substrings: keep the exact name only.
  return listed.filter((network) => network.Name === name);
}

/** Connects a created (not started) container to its LAN networks, with static addresses if asked. */
export async function connectLanNetworks(
  docker: Dockerode,
  containerId: string,
  networks: ContainerNetworks | undefined,
): Promise<void> {
  for (const lan of networks?.lan ?? []) {
    await docker
      .getNetwork(lan.network)
      .connect({ Container: containerId, EndpointConfig: lanEndpointConfig(lan) });
  }
}

/** What preflight and the spec need to know of a LAN network. */
export interface LanNetworkFacts {
  name: string;
  driver: string;
  subnetV4?: string;
  subnetV6?: string;
  /** ipvlan mode or macvlan mode, from the network's options. */
  mode?: string;
}

export async function inspectLanNetwork(
  docker: Dockerode,
  name: string,
): Promise<LanNetworkFacts | undefined> {
  const info = await inspectNetwork(docker, name);
  if (!info) return undefined;
  const subnets = (info.IPAM?.Config ?? []).map((c) => c.Subnet).filter((s): s is string => Boolean(s));
  return {
    name: info.Name,
    driver: info.Driver,
    subnetV4: subnets.find((s) => !s.includes(':')),
    subnetV6: subnets.find((s) => s.includes(':')),
    mode: info.Options?.['ipvlan_mode'] ?? info.Options?.['macvlan_mode'],
  };
}
