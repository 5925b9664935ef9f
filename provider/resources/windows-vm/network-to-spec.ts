import type { ContainerNetworks } from '../../docker/network-options';
import { ISOLATED_NETWORK } from '../../docker/network-options';
import { nicMac, type NetworkSpec, type NicSpec, type PortForward } from '../../../contract';
import { effectiveNics, forwardingNicIndex, guestSubnets, type NicInput } from './network-inputs';

/** The subnets of a lan NIC's Docker network, as the VM's host reports them. */
export interface LanUplink {
  subnetV4?: string;
  subnetV6?: string;
}

/** LAN uplinks by Docker network name (vmSpecOnHost inspects them on the host). */
export type LanUplinks = Record<string, LanUplink>;

export interface NetworkSpecContext {
  /** The VM's MAC: NIC 0 keeps it, the others derive theirs (nicMac). */
  mac: string;
  /** The forwards of ports and RDP, given to the first user or nat NIC. */
  forwards: PortForward[];
  /** Container ports that a lan NIC does not forward to its guest (the console's). */
  excludePorts: number[];
  /** Without it (preview), a lan NIC's uplink is empty, which the image refuses. */
  lanUplinks?: LanUplinks;
}

const MODEL = 'virtio-net-pci';

function egressOf(nic: NicInput, fallback: 'all' | 'internet') {
  return { policy: nic.egress?.policy ?? fallback, allow: nic.egress?.allow ?? [] };
}

/**
 * The spec's NICs for the VM's inputs: names net0.., stable MACs, forwards on the first user
 * or nat NIC, guest links (defaults that never overlap), egress defaults ("all" for user and
 * lan NICs, "internet" for nat NICs), IPv6 defaults (user on, nat off, lan when its network
 * has IPv6); a lan NIC with guestAddress "own" has only its uplink (nothing routes for it). Pure.
 */
export function networkSpecOf(
  vm: { network?: 'user' | 'none' | 'nat'; nics?: NicInput[] },
  context: NetworkSpecContext,
): NetworkSpec {
  const nics = effectiveNics(vm);
  const forwarding = forwardingNicIndex(nics);
  const subnets = guestSubnets(nics);
  return {
    nics: nics.map((nic, i): NicSpec => {
      const base = { name: `net${i}`, model: MODEL, mac: nicMac(context.mac, i) } as const;
      const ports = i === forwarding ? context.forwards : [];
      if (nic.mode === 'user')
        return {
          mode: 'user',
          ...base,
          ports,
          egress: nic.egress?.policy === 'none' ? 'none' : 'all',
          ipv6: nic.ipv6 ?? true,
        };
      const link = subnets[i]!;
      if (nic.mode === 'nat')
        return {
          mode: 'nat',
          ...base,
          ports,
          egress: egressOf(nic, 'internet'),
          subnetV4: link.v4,
          ...(nic.ipv6 === true ? { subnetV6: link.v6 } : {}),
        };
      const uplink = context.lanUplinks?.[nic.dockerNetwork!] ?? {};
      const ipv6 = nic.ipv6 ?? Boolean(uplink.subnetV6);
      const lanUplink = {
        ...(uplink.subnetV4 ? { subnetV4: uplink.subnetV4 } : {}),
        ...(uplink.subnetV6 ? { subnetV6: uplink.subnetV6 } : {}),
      };
      if (nic.guestAddress === 'own') return { mode: 'lan', ...base, uplink: lanUplink, guestAddress: 'own' };
      return {
        mode: 'lan',
        ...base,
        uplink: lanUplink,
        guestAddress: 'container',
        excludePorts: context.excludePorts,
        egress: egressOf(nic, 'all'),
        subnetV4: link.v4,
        ...(ipv6 ? { subnetV6: link.v6 } : {}),
      };
    }),
    hostName: 'host.lan',
  };
}

/** The Docker networks a lan NIC names, in order. Pure. */
export function lanNetworkNames(vm: { network?: 'user' | 'none' | 'nat'; nics?: NicInput[] }): string[] {
  return effectiveNics(vm).flatMap((nic) =>
    nic.mode === 'lan' && nic.dockerNetwork ? [nic.dockerNetwork] : [],
  );
}

/**
 * The container's Docker networks: the one it is created on (containerNetwork, default the
 * per-host isolated bridge) and its lan NICs' networks with their static addresses. Pure.
 */
export function containerNetworksOf(vm: {
  network?: 'user' | 'none' | 'nat';
  nics?: NicInput[];
  containerNetwork?: string;
}): ContainerNetworks {
  return {
    primary: vm.containerNetwork ?? ISOLATED_NETWORK,
    lan: effectiveNics(vm).flatMap((nic) =>
      nic.mode === 'lan' && nic.dockerNetwork
        ? [
            {
              network: nic.dockerNetwork,
              ...(nic.ipv4Address ? { ipv4Address: nic.ipv4Address } : {}),
              ...(nic.ipv6Address ? { ipv6Address: nic.ipv6Address } : {}),
            },
          ]
        : [],
    ),
  };
}
