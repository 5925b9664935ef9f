import type Dockerode from 'dockerode';
import {
  ISOLATED_NETWORK,
  isolatedNetworkOptions,
  lanEndpointConfig,
  type ContainerNetworks,
} from './network-options';

const status = (error: unknown) => (error as { statusCode?: number }).statusCode;

/** Creates the per-host isolated network once; a concurrent create by another VM is fine. */
export async function ensureIsolatedNetwork(docker: Dockerode): Promise<void> {
  try {
    await docker.getNetwork(ISOLATED_NETWORK).inspect();
    return;
  } catch (error) {
    if (status(error) !== 404) throw error;
  }
  try {
    await docker.createNetwork(isolatedNetworkOptions());
  } catch (error) {
    if (status(error) !== 409) throw error;
  }
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
  let info: Dockerode.NetworkInspectInfo;
  try {
    info = (await docker.getNetwork(name).inspect()) as Dockerode.NetworkInspectInfo;
  } catch (error) {
    if (status(error) === 404) return undefined;
    throw error;
  }
  const subnets = (info.IPAM?.Config ?? []).map((c) => c.Subnet).filter((s): s is string => Boolean(s));
  return {
    name: info.Name,
    driver: info.Driver,
    subnetV4: subnets.find((s) => !s.includes(':')),
    subnetV6: subnets.find((s) => s.includes(':')),
    mode: info.Options?.['ipvlan_mode'] ?? info.Options?.['macvlan_mode'],
  };
}
