import type Dockerode from 'dockerode';
import { ISOLATED_NETWORK } from '../../docker/network-options';
import { inspectNetwork } from '../../docker/networks';
import type { LanNetworkFacts } from '../../docker/vm-networks';
import { overlaps } from '../../../contract/network-addresses';
import type { CheckFailure } from './check';
import { effectiveNics, guestSubnets, isOwn, type NicInput } from './network-inputs';
import { lanNetworksOnHost, macvtapMajorOnHost, probeIpvlan } from './network-host';

/** What the host says about the networks a VM names. */
export interface HostNetworkFacts {
  hostName: string;
  /** Each lan NIC's Docker network by name; undefined: not on the host. */
  lanNetworks: Record<string, LanNetworkFacts | undefined>;
  /** Whether the kernel can make ipvlan links (asked only when an ipvlan network is used). */
  ipvlan?: boolean;
  /** Whether the kernel has macvtap (asked only when a NIC has guestAddress "own"). */
  macvtap?: boolean;
  /** containerNetwork, when named: whether it is on the host. */
  containerNetworkExists?: boolean;
  /** containerNetwork, when named: whether it has an IPv6 subnet too (dual stack). */
  containerNetworkDualStack?: boolean;
}

/** The parts of a VM's inputs the network checks read. */
type NetworkedVm = {
  network?: 'user' | 'none' | 'nat';
  nics?: NicInput[];
  containerNetwork?: string;
  console?: { enabled: boolean };
  rdp?: { enabled: boolean };
  ports?: unknown[];
};

const fail = (reason: string): CheckFailure => ({ property: 'nics', reason: `nics: ${reason}` });

/** The lan NIC's Docker network is of a kind that cannot carry it. */
function wrongDriver(nic: NicInput, i: number, network: LanNetworkFacts): CheckFailure | undefined {
  const name = nic.dockerNetwork;
  if (network.driver !== 'macvlan' && network.driver !== 'ipvlan')
    return fail(
      `NIC ${i}: Docker network "${name}" is a "${network.driver}" network; a lan NIC needs a macvlan or ipvlan network (use mode "nat" to route the guest through the container instead)`,
    );
  if (isOwn(nic) && network.driver !== 'macvlan')
    return fail(
      `NIC ${i}: guestAddress "own" needs a macvlan network, and Docker network "${name}" is ipvlan (every ipvlan endpoint shares the parent's MAC, so the guest cannot have its own on the LAN): use a macvlan network, or guestAddress "container"`,
    );
  return undefined;
}

/** The host's kernel has what the NIC's network needs (macvtap for "own", ipvlan). */
function kernelFailures(
  nic: NicInput,
  i: number,
  network: LanNetworkFacts,
  facts: HostNetworkFacts,
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (isOwn(nic) && facts.macvtap === false)
    failures.push(
      fail(
        `NIC ${i}: guestAddress "own" needs macvtap, and the kernel of host "${facts.hostName}" has none (CONFIG_MACVTAP / module macvtap): load the module there, or use guestAddress "container"`,
      ),
    );
  if (network.driver === 'ipvlan' && facts.ipvlan === false)
    failures.push(
      fail(
        `NIC ${i}: Docker network "${nic.dockerNetwork}" is ipvlan, but the kernel of host "${facts.hostName}" has no ipvlan support (CONFIG_IPVLAN / module ipvlan): load the module there, or use a macvlan network`,
      ),
    );
  return failures;
}

/** The NIC's static addresses lie in the network's subnets, and its guest link does not overlap them. */
function addressFailures(
  nic: NicInput,
  i: number,
  network: LanNetworkFacts,
  link: ReturnType<typeof guestSubnets>[number] | undefined,
): CheckFailure[] {
  const name = nic.dockerNetwork;
  const failures: CheckFailure[] = [];
  for (const [field, address, subnet] of [
    ['ipv4Address', nic.ipv4Address, network.subnetV4],
    ['ipv6Address', nic.ipv6Address, network.subnetV6],
  ] as const) {
    if (!address) continue;
    const host = `${address}/${field === 'ipv4Address' ? 32 : 128}`;
    if (!subnet || !overlaps(host, subnet))
      failures.push(
        fail(
          `NIC ${i}: ${field} ${address} is not in Docker network "${name}"'s ${subnet ? `subnet ${subnet}` : `subnets (it has no ${field === 'ipv4Address' ? 'IPv4' : 'IPv6'} one)`}: pick an address there`,
        ),
      );
  }
  for (const lan of [network.subnetV4, network.subnetV6])
    for (const [field, own] of [
      ['subnetV4', link?.v4],
      ['subnetV6', link?.v6],
    ] as const)
      if (lan && own && overlaps(lan, own))
        failures.push(
          fail(
            `NIC ${i}: the guest link ${own} overlaps Docker network "${name}"'s ${lan}: set this NIC's ${field} to a free private network`,
          ),
        );
  return failures;
}

/** One lan NIC against its Docker network on the host. */
function lanNicFailures(
  nic: NicInput,
  i: number,
  facts: HostNetworkFacts,
  link: ReturnType<typeof guestSubnets>[number] | undefined,
): CheckFailure[] {
  if (nic.mode !== 'lan' || !nic.dockerNetwork) return [];
  const name = nic.dockerNetwork;
  const network = facts.lanNetworks[name];
  if (!network)
    return [
      fail(
        `NIC ${i}: Docker network "${name}" is not on host "${facts.hostName}": create it there (docker network create -d macvlan -o parent=<host interface> --subnet <LAN subnet> ${name}) or fix dockerNetwork`,
      ),
    ];
  const wrong = wrongDriver(nic, i, network);
  if (wrong) return [wrong];
  const kernel = kernelFailures(nic, i, network, facts);
  if (!network.subnetV4 && !network.subnetV6)
    return [
      ...kernel,
      fail(
        `NIC ${i}: Docker network "${name}" has no IPAM subnet: create it with --subnet (the LAN's network)`,
      ),
    ];
  return [...kernel, ...addressFailures(nic, i, network, link)];
}

/**
 * Preview-time checks of the networks a VM names against its host: a lan NIC's Docker network
 * exists and is macvlan or ipvlan (ipvlan only where the kernel has it; guestAddress "own" only
 * on macvlan, where the kernel has macvtap), its static addresses
 * lie in the network's subnets, and its guest link does not overlap the LAN. Pure.
 */
export function networkFailures(vm: NetworkedVm, facts: HostNetworkFacts): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (vm.containerNetwork && facts.containerNetworkExists === false)
    failures.push({
      property: 'containerNetwork',
      reason: `containerNetwork: Docker network "${vm.containerNetwork}" is not on host "${facts.hostName}": create it there, or leave containerNetwork out (0-windock-isolated)`,
    });
  const nics = effectiveNics(vm);
  const subnets = guestSubnets(nics);
  nics.forEach((nic, i) => failures.push(...lanNicFailures(nic, i, facts, subnets[i])));
  return [...failures, ...publishingFailures(vm, facts)];
}

/**
 * Docker publishes a container's ports only through its gateway network, chosen among its
 * networks: a dual-stack one before a v4-only one, else the first by name (libnetwork's endpoint
 * order; Docker before 28 has no gateway priority). A LAN network chosen so would leave the
 * console, RDP and every forwarded port silently unpublished: refused here, naming the fix.
 */
function publishingFailures(vm: NetworkedVm, facts: HostNetworkFacts): CheckFailure[] {
  const publishes = Boolean(vm.console?.enabled || vm.rdp?.enabled || (vm.ports?.length ?? 0) > 0);
  if (!publishes) return [];
  const primary = vm.containerNetwork ?? ISOLATED_NETWORK;
  const primaryDualStack = vm.containerNetwork ? Boolean(facts.containerNetworkDualStack) : false;
  const failures: CheckFailure[] = [];
  effectiveNics(vm).forEach((nic, i) => {
    const lan = nic.mode === 'lan' && nic.dockerNetwork ? facts.lanNetworks[nic.dockerNetwork] : undefined;
    if (!lan) return;
    const lanDualStack = Boolean(lan.subnetV4 && lan.subnetV6);
    const lanFirst = lanDualStack !== primaryDualStack ? lanDualStack : lan.name < primary;
    if (lanFirst)
      failures.push(
        fail(
          `NIC ${i}: Docker would publish this VM's ports (console, RDP, ports) through LAN network "${lan.name}" instead of "${primary}", which leaves them unreachable: ` +
            (lanDualStack && !primaryDualStack
              ? `a dual-stack network comes first; give containerNetwork an IPv6 subnet too, or use a v4-only LAN network`
              : `Docker takes the network whose name sorts first; name the LAN network so it sorts after "${primary}" (for example "${primary === ISOLATED_NETWORK ? 'lan' : `${primary}-lan`}"), or set containerNetwork to a network whose name sorts before it`),
        ),
      );
  });
  return failures;
}

/** Asks the host about the networks the VM names, then checks them. */
export async function networkPreflight(
  docker: Dockerode,
  vm: NetworkedVm,
  hostName: string,
  image: string | undefined,
): Promise<CheckFailure[]> {
  const lanNetworks = await lanNetworksOnHost(docker, vm);
  const usesIpvlan = Object.values(lanNetworks).some((n) => n?.driver === 'ipvlan');
  const usesMacvtap = effectiveNics(vm).some(isOwn);
  let containerNetworkExists: boolean | undefined;
  let containerNetworkDualStack: boolean | undefined;
  if (vm.containerNetwork) {
    const info = await inspectNetwork(docker, vm.containerNetwork).catch(() => undefined);
    containerNetworkExists = info !== undefined;
    const subnets = (info?.IPAM?.Config ?? []).map((c) => c.Subnet ?? '');
    containerNetworkDualStack = subnets.some((s) => s.includes(':')) && subnets.some((s) => s.includes('.'));
  }
  return networkFailures(vm, {
    hostName,
    lanNetworks,
    ...(usesIpvlan && image ? { ipvlan: await probeIpvlan(docker, image) } : {}),
    ...(usesMacvtap && image ? { macvtap: (await macvtapMajorOnHost(docker, image)) !== undefined } : {}),
    ...(containerNetworkExists !== undefined ? { containerNetworkExists, containerNetworkDualStack } : {}),
  });
}
