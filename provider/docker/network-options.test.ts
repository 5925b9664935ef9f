import type { NicSpec, VmSpec } from '../../contract';
import { sampleSpec } from '../../contract/sample-spec';
import { containerCreateOptions, type ContainerPlacement } from './container-spec';
import { isolatedNetworkOptions, lanEndpointConfig } from './network-options';

const egress = { policy: 'internet' as const, allow: [] };
const user: NicSpec = {
  mode: 'user',
  name: 'net0',
  model: 'virtio-net-pci',
  mac: '52:54:00:12:34:56',
  ports: [],
  egress: 'all',
  ipv6: true,
};
const nat: NicSpec = {
  mode: 'nat',
  name: 'net0',
  model: 'virtio-net-pci',
  mac: '52:54:00:12:34:56',
  ports: [],
  egress,
  subnetV4: '10.0.2.0/24',
};
const lan: NicSpec = {
  mode: 'lan',
  name: 'net1',
  model: 'virtio-net-pci',
  mac: '52:54:00:12:74:56',
  uplink: { subnetV4: '192.168.50.0/24', subnetV6: 'fd50::/64' },
  guestAddress: 'container',
  excludePorts: [8006],
  egress,
  subnetV4: '10.0.3.0/24',
};

const own: NicSpec = {
  mode: 'lan',
  name: 'net2',
  model: 'virtio-net-pci',
  mac: '52:54:00:12:b4:56',
  uplink: { subnetV4: '192.168.50.0/24' },
  guestAddress: 'own',
};

const placement: ContainerPlacement = {
  containerName: 'windock-t',
  image: 'windock/vm:dev',
  volumeName: 'v',
  labels: {},
  published: [],
  kvmDevice: false,
  restartPolicy: 'no',
};

function hostConfigFor(nics: NicSpec[], networks?: ContainerPlacement['networks']) {
  const spec: VmSpec = sampleSpec();
  return containerCreateOptions({ ...spec, network: { ...spec.network, nics } }, { ...placement, networks })
    .HostConfig!;
}

describe('container options per network mode', () => {
  it.each([
    ['no NIC', []],
    ['user', [user]],
  ])('%s: no capability, no device, no sysctl', (_, nics) => {
    const host = hostConfigFor(nics as NicSpec[]);
    expect(host.Privileged).toBe(false);
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.CapAdd ?? []).toEqual([]);
    expect(host.Devices ?? []).toEqual([]);
    expect(Object.keys(host.Sysctls ?? {})).toEqual([]);
  });

  it.each([
    ['nat', [nat]],
    ['lan', [lan]],
    ['user + nat + lan', [user, { ...nat, name: 'net1' }, { ...lan, name: 'net2' }]],
  ])('%s: /dev/net/tun and NET_ADMIN only (IPv4 guest links); never privileged', (_, nics) => {
    const host = hostConfigFor(nics as NicSpec[]);
    expect(host.Privileged).toBe(false);
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.CapAdd).toEqual(['NET_ADMIN']);
    expect(host.SecurityOpt).toContain('no-new-privileges:true');
    expect(host.Devices).toEqual([
      { PathOnHost: '/dev/net/tun', PathInContainer: '/dev/net/tun', CgroupPermissions: 'rwm' },
    ]);
    expect(host.Sysctls?.['net.ipv4.ip_forward']).toBe('1');
  });

  it("NET_RAW only when a guest link has IPv6 (dnsmasq's router advertisements)", () => {
    expect(hostConfigFor([{ ...nat, subnetV6: 'fd00:77::/64' }]).CapAdd).toEqual(['NET_ADMIN', 'NET_RAW']);
    expect(hostConfigFor([user, { ...lan, subnetV6: 'fd00:78::/64' }]).CapAdd).toEqual([
      'NET_ADMIN',
      'NET_RAW',
    ]);
  });

  it('lan "own": NET_ADMIN, MKNOD and a device cgroup rule for the macvtap major only', () => {
    const networks = { primary: '0-windock-isolated', lan: [{ network: 'lan' }], macvtapMajor: 246 };
    const host = hostConfigFor([own], networks);
    expect(host.Privileged).toBe(false);
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.CapAdd).toEqual(['NET_ADMIN', 'MKNOD']);
    expect(host.SecurityOpt).toContain('no-new-privileges:true');
    expect(host.DeviceCgroupRules).toEqual(['c 246:* rwm']);
    expect(host.Devices ?? []).toEqual([]);
    expect(host.Sysctls ?? {}).toEqual({});
    // Beside a nat NIC: both modes' needs, nothing more.
    const both = hostConfigFor([nat, { ...own, name: 'net1' }], networks);
    expect(both.CapAdd).toEqual(['NET_ADMIN', 'MKNOD']);
    expect(both.DeviceCgroupRules).toEqual(['c 246:* rwm']);
    expect(both.Devices).toEqual([
      { PathOnHost: '/dev/net/tun', PathInContainer: '/dev/net/tun', CgroupPermissions: 'rwm' },
    ]);
    // Other modes get no device cgroup rule.
    expect(hostConfigFor([nat], networks).DeviceCgroupRules).toBeUndefined();
    expect(() => hostConfigFor([own], { primary: '0-windock-isolated', lan: [] })).toThrow(
      /guestAddress "own" needs the macvtap device major/,
    );
  });

  it('switches IPv6 on only where a guest link or LAN uses it', () => {
    expect(hostConfigFor([nat]).Sysctls).toEqual({ 'net.ipv4.ip_forward': '1' });
    expect(hostConfigFor([{ ...nat, subnetV6: 'fd00:77::/64' }]).Sysctls).toEqual({
      'net.ipv4.ip_forward': '1',
      'net.ipv6.conf.all.disable_ipv6': '0',
      'net.ipv6.conf.default.disable_ipv6': '0',
      'net.ipv6.conf.all.forwarding': '1',
    });
    expect(hostConfigFor([lan]).Sysctls?.['net.ipv6.conf.all.forwarding']).toBe('1');
  });

  it('creates the container on its primary network; Docker default bridge without one', () => {
    expect(hostConfigFor([user]).NetworkMode).toBeUndefined();
    expect(hostConfigFor([user], { primary: '0-windock-isolated', lan: [] }).NetworkMode).toBe(
      '0-windock-isolated',
    );
  });

  it('the per-host network disables inter-container communication', () => {
    expect(isolatedNetworkOptions()).toMatchObject({
      Name: '0-windock-isolated',
      Driver: 'bridge',
      Options: { 'com.docker.network.bridge.enable_icc': 'false' },
    });
  });

  it('static LAN addresses go through Docker IPAM', () => {
    expect(
      lanEndpointConfig({ network: 'lan', ipv4Address: '192.168.50.10', ipv6Address: 'fd50::10' }),
    ).toEqual({
      IPAMConfig: { IPv4Address: '192.168.50.10', IPv6Address: 'fd50::10' },
    });
    expect(lanEndpointConfig({ network: 'lan' })).toEqual({});
  });
});
