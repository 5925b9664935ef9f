import type { LanNetworkFacts } from '../../docker/vm-networks';
import { windowsVmInputs } from './inputs';
import { networkFailures } from './network-preflight';

// No console, RDP or ports: where Docker publishes them is checked on its own (the last block).
const vm = (nics: unknown[], extra: Record<string, unknown> = {}) =>
  windowsVmInputs.parse({
    name: 'lan-01',
    media: { kind: 'disk-image', file: '/images/w.qcow2', format: 'qcow2' },
    rdp: { enabled: false },
    console: { enabled: false },
    nics,
    ...extra,
  });
const macvlan: LanNetworkFacts = {
  name: 'office',
  driver: 'macvlan',
  subnetV4: '192.168.1.0/24',
  mode: 'bridge',
};
// What `docker network inspect` reports for an ipvlan network: synthetic, since this host's
// kernel has no ipvlan (Docker creates the network anyway and fails only when a container joins).
const ipvlanInspectSynthetic: LanNetworkFacts = {
  name: 'office-ipvlan',
  driver: 'ipvlan',
  subnetV4: '192.168.5.0/24',
  subnetV6: 'fd00:5::/64',
  mode: 'l2',
};

describe('network preflight against the host', () => {
  it('accepts a macvlan network with a static address in its subnet', () => {
    const failures = networkFailures(
      vm([{ mode: 'lan', dockerNetwork: 'office', ipv4Address: '192.168.1.20' }]),
      {
        hostName: 'local',
        lanNetworks: { office: macvlan },
      },
    );
    expect(failures).toEqual([]);
  });

  it('refuses a network that is not on the host, naming how to create it', () => {
    const [failure] = networkFailures(vm([{ mode: 'lan', dockerNetwork: 'office' }]), {
      hostName: 'lab-1',
      lanNetworks: { office: undefined },
    });
    expect(failure).toEqual({
      property: 'nics',
      reason: expect.stringMatching(
        /^nics: NIC 0: Docker network "office" is not on host "lab-1": create it there \(docker network create -d macvlan/,
      ),
    });
  });

  it('guestAddress "own": accepted on macvlan where the kernel has macvtap, refused on ipvlan', () => {
    const own = vm([{ mode: 'lan', dockerNetwork: 'office', guestAddress: 'own' }]);
    expect(
      networkFailures(own, { hostName: 'local', lanNetworks: { office: macvlan }, macvtap: true }),
    ).toEqual([]);
    const [noMacvtap] = networkFailures(own, {
      hostName: 'lab-1',
      lanNetworks: { office: macvlan },
      macvtap: false,
    });
    expect(noMacvtap!.reason).toMatch(
      /NIC 0: guestAddress "own" needs macvtap, and the kernel of host "lab-1" has none .*or use guestAddress "container"/,
    );
    const failures = networkFailures(own, {
      hostName: 'local',
      lanNetworks: { office: ipvlanInspectSynthetic },
      ipvlan: true,
    });
    expect(failures).toEqual([
      {
        property: 'nics',
        reason: expect.stringMatching(
          /^nics: NIC 0: guestAddress "own" needs a macvlan network, and Docker network "office" is ipvlan \(every ipvlan endpoint shares the parent's MAC.*\): use a macvlan network, or guestAddress "container"$/,
        ),
      },
    ]);
  });

  it('refuses a bridge network for a lan NIC', () => {
    const [failure] = networkFailures(vm([{ mode: 'lan', dockerNetwork: 'office' }]), {
      hostName: 'local',
      lanNetworks: { office: { ...macvlan, driver: 'bridge' } },
    });
    expect(failure!.reason).toMatch(/is a "bridge" network; a lan NIC needs a macvlan or ipvlan network/);
  });

  it('refuses an ipvlan network on a kernel without ipvlan (synthetic inspect result)', () => {
    const nics = [{ mode: 'lan', dockerNetwork: 'office-ipvlan' }];
    const facts = { hostName: 'local', lanNetworks: { 'office-ipvlan': ipvlanInspectSynthetic } };
    expect(networkFailures(vm(nics), { ...facts, ipvlan: false })).toEqual([
      {
        property: 'nics',
        reason: expect.stringMatching(
          /is ipvlan, but the kernel of host "local" has no ipvlan support.*use a macvlan network/,
        ),
      },
    ]);
    expect(networkFailures(vm(nics), { ...facts, ipvlan: true })).toEqual([]);
  });

  it('refuses static addresses outside the network and guest links overlapping the LAN', () => {
    const failures = networkFailures(
      vm([
        {
          mode: 'lan',
          dockerNetwork: 'office',
          ipv4Address: '192.168.9.20',
          ipv6Address: 'fd00:1::20',
          subnetV4: '192.168.1.128/25',
        },
      ]),
      { hostName: 'local', lanNetworks: { office: macvlan } },
    );
    expect(failures.map((f) => f.reason)).toEqual([
      expect.stringMatching(
        /ipv4Address 192\.168\.9\.20 is not in Docker network "office"'s subnet 192\.168\.1\.0\/24/,
      ),
      expect.stringMatching(/ipv6Address fd00:1::20 is not in .*it has no IPv6 one/),
      expect.stringMatching(/guest link 192\.168\.1\.128\/25 overlaps .*set this NIC's subnetV4/),
    ]);
  });

  it('refuses a containerNetwork the host does not have', () => {
    const failures = networkFailures(
      vm([{ mode: 'nat' }], { containerNetwork: 'missing', rdp: { enabled: true } }),
      {
        hostName: 'local',
        lanNetworks: {},
        containerNetworkExists: false,
      },
    );
    expect(failures).toEqual([
      { property: 'containerNetwork', reason: expect.stringMatching(/"missing" is not on host "local"/) },
    ]);
  });
});

describe('where Docker publishes the ports of a VM with a LAN NIC', () => {
  const lan = (name: string, v6 = false): LanNetworkFacts => ({
    ...macvlan,
    name,
    ...(v6 ? { subnetV6: 'fd00:1::/64' } : {}),
  });
  const publishing = (network: string, extra: Record<string, unknown> = {}) =>
    vm([{ mode: 'lan', dockerNetwork: network }], { console: { enabled: true }, ...extra });

  it('accepts a LAN network named with letters: the default bridge sorts before it', () => {
    expect(
      networkFailures(publishing('lan'), { hostName: 'local', lanNetworks: { lan: lan('lan') } }),
    ).toEqual([]);
  });

  it('refuses a LAN network Docker would publish through (first by name), naming the fix', () => {
    const [failure] = networkFailures(publishing('0-lan'), {
      hostName: 'local',
      lanNetworks: { '0-lan': lan('0-lan') },
    });
    expect(failure?.reason).toMatch(
      /NIC 0: Docker would publish this VM's ports .* through LAN network "0-lan" instead of "0-windock-isolated".*sorts after "0-windock-isolated" \(for example "lan"\)/,
    );
  });

  it('refuses a dual-stack LAN network beside a v4-only container network', () => {
    const [failure] = networkFailures(publishing('lan', { containerNetwork: 'apps' }), {
      hostName: 'local',
      lanNetworks: { lan: lan('lan', true) },
      containerNetworkExists: true,
      containerNetworkDualStack: false,
    });
    expect(failure?.reason).toMatch(/a dual-stack network comes first/);
  });

  it('says nothing when the VM publishes no port', () => {
    const quiet = vm([{ mode: 'lan', dockerNetwork: '0-lan' }], { console: { enabled: false } });
    expect(networkFailures(quiet, { hostName: 'local', lanNetworks: { '0-lan': lan('0-lan') } })).toEqual([]);
  });
});
