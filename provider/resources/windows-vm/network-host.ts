import type Dockerode from 'dockerode';
import type { ContainerNetworks } from '../../docker/network-options';
import { ownNics, type VmSpec } from '../../../contract';
import { inspectLanNetwork, type LanNetworkFacts } from '../../docker/vm-networks';
import type { DockerEngine } from '../../docker/engine';
import { runHelperContainer } from '../../docker/helper-container';
import type { NicInput } from './network-inputs';
import { lanNetworkNames, type LanUplinks } from './network-to-spec';

/** The facts of every Docker network the VM's lan NICs name (undefined: not on the host). */
export async function lanNetworksOnHost(
  docker: Dockerode,
  vm: { network?: 'user' | 'none' | 'nat'; nics?: NicInput[] },
): Promise<Record<string, LanNetworkFacts | undefined>> {
  const names = lanNetworkNames(vm);
  const facts = await Promise.all(names.map((name) => inspectLanNetwork(docker, name)));
  return Object.fromEntries(names.map((name, i) => [name, facts[i]]));
}

/** The uplink subnets of the lan NICs' networks, for the spec; a missing network is an error. */
export async function lanUplinksOnHost(
  docker: Dockerode,
  vm: { network?: 'user' | 'none' | 'nat'; nics?: NicInput[] },
): Promise<LanUplinks> {
  const uplinks: LanUplinks = {};
  for (const [name, facts] of Object.entries(await lanNetworksOnHost(docker, vm))) {
    if (!facts)
      throw new Error(
        `nics: Docker network "${name}" is not on the VM's host: create it or fix dockerNetwork`,
      );
    uplinks[name] = {
      ...(facts.subnetV4 ? { subnetV4: facts.subnetV4 } : {}),
      ...(facts.subnetV6 ? { subnetV6: facts.subnetV6 } : {}),
    };
  }
  return uplinks;
}

/**
 * Whether the host's kernel can make ipvlan links. Docker creates an ipvlan network on any
 * kernel and fails only when a container joins it, so a throwaway container from the image
 * (no network, NET_ADMIN in its own namespace only) tries: a veth pair, an ipvlan link on it.
 */
export async function probeIpvlan(docker: DockerEngine, image: string): Promise<boolean> {
  const probe = await runHelperContainer(docker, {
    image,
    purpose: 'ipvlan-probe',
    entrypoint: [
      'sh',
      '-c',
      'ip link add wdk-v0 type veth peer name wdk-v1 && ip link add wdk-i0 link wdk-v0 type ipvlan mode l2 && echo ipvlan-ok',
    ],
    // Links are made in the probe's own network namespace, which NET_ADMIN is confined to.
    capabilities: ['NET_ADMIN'],
  });
  return probe.stdout.includes('ipvlan-ok');
}

/** The macvtap character devices' major in a /proc/devices text (undefined: no macvtap). Pure. */
export function parseMacvtapMajor(procDevices: string): number | undefined {
  const match = /^\s*(\d+) macvtap$/m.exec(procDevices);
  return match ? Number(match[1]) : undefined;
}

/**
 * The macvtap major of the VM's host, for the device cgroup rule of a LAN "own" NIC's
 * container (undefined: the kernel has no macvtap). /proc/devices is not namespaced, so a
 * throwaway container from the image (no network, no capability) reads the host's.
 */
export async function macvtapMajorOnHost(docker: DockerEngine, image: string): Promise<number | undefined> {
  const probe = await runHelperContainer(docker, {
    image,
    purpose: 'macvtap-probe',
    entrypoint: ['cat', '/proc/devices'],
  });
  return parseMacvtapMajor(probe.stdout);
}

/**
 * The container's networks with the host's macvtap major when a NIC has guestAddress "own"
 * (its device cgroup rule needs it); unchanged otherwise.
 */
export async function withMacvtapMajor(
  docker: Dockerode,
  spec: VmSpec,
  networks: ContainerNetworks | undefined,
  image: string,
): Promise<ContainerNetworks | undefined> {
  if (!networks || ownNics(spec.network).length === 0) return networks;
  const major = await macvtapMajorOnHost(docker, image);
  if (major === undefined)
    throw new Error(
      'nics: guestAddress "own" needs macvtap, and the kernel of the VM\'s host has none (no "macvtap" in /proc/devices): load the macvtap module there, or use guestAddress "container"',
    );
  return { ...networks, macvtapMajor: major };
}
