import { containerCreateOptions } from '../../docker/container-spec';
import { ISOLATED_NETWORK } from '../../docker/network-options';
import { parseVmSpec } from '../../../contract';
import { identityFor } from './identity';
import { planImpact } from './impact';
import { windowsVmInputs } from './inputs';
import { toPlacement, toVmSpec } from './to-spec';

const base = { name: 'net-01', media: { kind: 'disk-image', file: '/images/w.qcow2', format: 'qcow2' } };
const identity = identityFor('6f1c1d7e-2a4b-4c3d-9e8f-0a1b2c3d4e5f');
const parse = (extra: Record<string, unknown>) => windowsVmInputs.safeParse({ ...base, ...extra });
const ok = (extra: Record<string, unknown>) => windowsVmInputs.parse({ ...base, ...extra });
function errors(extra: Record<string, unknown>): Array<{ path: string; message: string }> {
  const result = parse(extra);
  if (result.success) throw new Error('expected a validation error');
  return result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}
const placement = (vm: ReturnType<typeof ok>, spec = toVmSpec(vm, identity)) =>
  toPlacement(vm, spec, { image: 'windock/vm:dev', stack: 'dev', knownHostPorts: {} });
const lanUplinks = {
  lan0: { subnetV4: '192.168.1.0/24', subnetV6: 'fd00:1::/64' },
  lan1: { subnetV4: '192.168.2.0/24' },
};

describe('network inputs', () => {
  it('keeps a program without network or nics exactly as before: one user NIC, network "user"', () => {
    const vm = ok({});
    expect(vm.network).toBe('user');
    expect(vm.nics).toBeUndefined();
    const spec = parseVmSpec(JSON.parse(JSON.stringify(toVmSpec(vm, identity))));
    expect(spec.network.nics).toEqual([
      {
        mode: 'user',
        name: 'net0',
        model: 'virtio-net-pci',
        mac: identity.mac,
        ports: [
          { name: 'rdp', protocol: 'tcp', guest: 3389, container: 3389 },
          { name: 'rdp', protocol: 'udp', guest: 3389, container: 3389 },
        ],
        egress: 'all',
        ipv6: true,
      },
    ]);
    // Re-checking the normalized inputs (what state holds) gives the same inputs: no diff.
    expect(windowsVmInputs.parse(JSON.parse(JSON.stringify(vm)))).toEqual(vm);
    const same = planImpact(vm, ok({ network: 'user' }));
    expect(same.ok && same.tier).toBe('none');
  });

  it('network "none" still has no NIC and refuses ports as before', () => {
    expect(toVmSpec(ok({ network: 'none', rdp: { enabled: false } }), identity).network.nics).toEqual([]);
    expect(errors({ network: 'none' })[0]!.message).toMatch(/network "none" has no NIC/);
  });

  it('network "nat" is one NAT NIC with the forwards, egress "internet", 10.0.2.0/24 and no IPv6', () => {
    const vm = ok({ network: 'nat', ports: [{ name: 'web', guest: 80 }] });
    const spec = parseVmSpec(JSON.parse(JSON.stringify(toVmSpec(vm, identity))));
    expect(spec.network.nics).toEqual([
      {
        mode: 'nat',
        name: 'net0',
        model: 'virtio-net-pci',
        mac: identity.mac,
        ports: [
          { name: 'rdp', protocol: 'tcp', guest: 3389, container: 3389 },
          { name: 'rdp', protocol: 'udp', guest: 3389, container: 3389 },
          { name: 'web', protocol: 'tcp', guest: 80, container: 20000 },
        ],
        egress: { policy: 'internet', allow: [] },
        subnetV4: '10.0.2.0/24',
      },
    ]);
    const options = containerCreateOptions(spec, placement(vm, spec));
    expect(options.HostConfig?.CapAdd).toEqual(['NET_ADMIN']);
    expect(options.HostConfig?.NetworkMode).toBe(ISOLATED_NETWORK);
    expect(options.HostConfig?.Sysctls).toEqual({ 'net.ipv4.ip_forward': '1' });
  });

  it('user mode keeps the least-privilege container, now on the isolated network', () => {
    const vm = ok({});
    const spec = toVmSpec(vm, identity);
    const options = containerCreateOptions(spec, placement(vm, spec));
    expect(options.HostConfig?.CapAdd).toEqual([]);
    expect(options.HostConfig?.NetworkMode).toBe(ISOLATED_NETWORK);
    expect(options.HostConfig?.Sysctls).toBeUndefined();
    expect(placement(ok({ containerNetwork: 'my-net' })).networks?.primary).toBe('my-net');
  });

  it('several NICs: forwards on the first user/nat NIC, stable MACs, free default subnets, lan uplinks from the host', () => {
    const vm = ok({
      nics: [
        { mode: 'lan', dockerNetwork: 'lan0', ipv4Address: '192.168.1.20' },
        { mode: 'nat', subnetV4: '10.0.2.0/24', egress: { allow: ['192.168.7.0/24'] } },
        { mode: 'nat', ipv6: true },
        { mode: 'lan', dockerNetwork: 'lan1', egress: { policy: 'none' } },
      ],
      ports: [{ name: 'web', guest: 80 }],
    });
    const spec = parseVmSpec(JSON.parse(JSON.stringify(toVmSpec(vm, identity, undefined, lanUplinks))));
    const [lan0, nat1, nat2, lan1] = spec.network.nics;
    expect(new Set(spec.network.nics.map((n) => n.mac)).size).toBe(4);
    expect(lan0).toMatchObject({
      mode: 'lan',
      name: 'net0',
      mac: identity.mac,
      uplink: { subnetV4: '192.168.1.0/24', subnetV6: 'fd00:1::/64' },
      guestAddress: 'container',
      excludePorts: [8006],
      egress: { policy: 'all', allow: [] },
      subnetV4: '10.0.3.0/24',
      subnetV6: 'fd00:77:3::/64',
    });
    expect(nat1).toMatchObject({
      mode: 'nat',
      subnetV4: '10.0.2.0/24',
      egress: { policy: 'internet', allow: ['192.168.7.0/24'] },
    });
    expect(nat1!.mode === 'nat' && nat1.ports.map((p) => p.name)).toEqual(['rdp', 'rdp', 'web']);
    expect(nat2).toMatchObject({
      mode: 'nat',
      ports: [],
      subnetV4: '10.0.4.0/24',
      subnetV6: 'fd00:77:4::/64',
    });
    // lan1's network has no IPv6: neither has its guest link.
    expect(lan1).toMatchObject({
      mode: 'lan',
      uplink: { subnetV4: '192.168.2.0/24' },
      egress: { policy: 'none', allow: [] },
    });
    expect(lan1).not.toHaveProperty('subnetV6');
    expect(placement(vm, spec).networks).toEqual({
      primary: ISOLATED_NETWORK,
      lan: [{ network: 'lan0', ipv4Address: '192.168.1.20' }, { network: 'lan1' }],
    });
    const options = containerCreateOptions(spec, placement(vm, spec));
    expect(options.HostConfig?.Sysctls).toMatchObject({ 'net.ipv6.conf.all.forwarding': '1' });
  });

  it('normalized inputs with nics hold no undefined value (the engine cannot carry one)', () => {
    const vm = ok({ nics: [{ mode: 'nat' }] });
    expect('network' in vm).toBe(false);
    expect(Object.values(vm)).not.toContain(undefined);
    expect(windowsVmInputs.parse(JSON.parse(JSON.stringify(vm)))).toEqual(vm);
  });

  it('a change of nics, network or containerNetwork restarts the VM', () => {
    const before = ok({ network: 'nat' });
    const plan = planImpact(before, ok({ nics: [{ mode: 'nat', egress: { policy: 'none' } }] }));
    expect(plan.ok && plan.tier).toBe('restart');
    expect(plan.ok && plan.changes.map((c) => c.field).sort()).toEqual(['network', 'nics']);
    const moved = planImpact(before, ok({ network: 'nat', containerNetwork: 'other' }));
    expect(moved.ok && moved.tier).toBe('restart');
  });
});

describe('network validation names the field and the fix', () => {
  it('refuses network and nics together', () => {
    expect(errors({ network: 'nat', nics: [{ mode: 'nat' }] })).toEqual([
      { path: 'nics', message: expect.stringMatching(/give either network or nics, not both/) },
    ]);
  });

  it('refuses more than 8 NICs', () => {
    const nics = Array.from({ length: 9 }, () => ({ mode: 'nat' }));
    expect(errors({ nics })[0]).toEqual({ path: 'nics', message: expect.stringMatching(/at most 8 NICs/) });
  });

  it('refuses ports and RDP when only lan NICs carry the guest', () => {
    const issues = errors({
      nics: [{ mode: 'lan', dockerNetwork: 'lan0' }],
      ports: [{ name: 'web', guest: 80 }],
    });
    expect(issues.map((i) => i.path)).toEqual(['ports', 'rdp']);
    expect(issues[0]!.message).toMatch(/only lan NICs.*add a nat NIC or remove ports/);
    expect(issues[1]!.message).toMatch(/set rdp.enabled to false/);
    expect(parse({ nics: [{ mode: 'lan', dockerNetwork: 'lan0' }], rdp: { enabled: false } }).success).toBe(
      true,
    );
  });

  it('refuses allow lists and "internet" in user mode', () => {
    expect(errors({ nics: [{ mode: 'user', egress: { allow: ['10.1.0.0/16'] } }] })).toEqual([
      {
        path: 'nics.0.egress',
        message: expect.stringMatching(/allow lists need a nat or lan NIC.*use mode "nat"/),
      },
    ]);
    expect(errors({ nics: [{ mode: 'user', egress: { policy: 'internet' } }] })[0]!.message).toMatch(
      /user mode knows egress "all" or "none"/,
    );
  });

  it('refuses two NICs on the same Docker network', () => {
    const issues = errors({
      nics: [{ mode: 'nat' }, { mode: 'lan', dockerNetwork: 'lan0' }, { mode: 'lan', dockerNetwork: 'lan0' }],
    });
    expect(issues).toEqual([
      { path: 'nics.2.dockerNetwork', message: expect.stringMatching(/"lan0" is already NIC 1's/) },
    ]);
  });

  it('refuses overlapping guest networks, naming the NIC and the field', () => {
    const issues = errors({
      nics: [
        { mode: 'nat', subnetV4: '10.9.0.0/16' },
        { mode: 'nat', subnetV4: '10.9.4.0/24' },
      ],
    });
    expect(issues).toEqual([
      {
        path: 'nics.1.subnetV4',
        message: expect.stringMatching(
          /10\.9\.4\.0\/24 overlaps NIC 0's 10\.9\.0\.0\/16: give it a subnetV4/,
        ),
      },
    ]);
    // Defaults step around a subnet the user chose.
    const vm = ok({ nics: [{ mode: 'nat' }, { mode: 'nat', subnetV4: '10.0.2.0/24' }] });
    expect(toVmSpec(vm, identity).network.nics.map((n) => 'subnetV4' in n && n.subnetV4)).toEqual([
      '10.0.3.0/24',
      '10.0.2.0/24',
    ]);
  });

  it('accepts guestAddress "own": the spec NIC has only its uplink and MAC, nothing routed', () => {
    const vm = ok({
      rdp: { enabled: false },
      nics: [{ mode: 'lan', dockerNetwork: 'lan0', ipv4Address: '192.168.1.20', guestAddress: 'own' }],
    });
    const spec = parseVmSpec(JSON.parse(JSON.stringify(toVmSpec(vm, identity, undefined, lanUplinks))));
    expect(spec.network.nics).toEqual([
      {
        mode: 'lan',
        name: 'net0',
        model: 'virtio-net-pci',
        mac: identity.mac,
        uplink: { subnetV4: '192.168.1.0/24', subnetV6: 'fd00:1::/64' },
        guestAddress: 'own',
      },
    ]);
    // The container still joins the LAN at its own (static) address.
    expect(placement(vm).networks!.lan).toEqual([{ network: 'lan0', ipv4Address: '192.168.1.20' }]);
  });

  it('refuses guest link, egress and ipv6 fields on an "own" NIC, and ports or RDP with nothing to forward them', () => {
    expect(
      errors({
        rdp: { enabled: false },
        nics: [
          {
            mode: 'lan',
            dockerNetwork: 'lan0',
            guestAddress: 'own',
            subnetV4: '10.0.9.0/24',
            egress: { policy: 'none' },
            ipv6: true,
          },
        ],
      }).map((e) => e.path),
    ).toEqual(['nics.0.subnetV4', 'nics.0.egress', 'nics.0.ipv6']);
    expect(
      errors({
        nics: [{ mode: 'lan', dockerNetwork: 'lan0', guestAddress: 'own', subnetV6: 'fd00:9::/64' }],
        rdp: { enabled: false },
      })[0]!.message,
    ).toMatch(
      /NIC 0: subnetV6 does not apply to guestAddress "own" .*: remove it, or use guestAddress "container"/,
    );
    const refused = errors({
      ports: [{ name: 'web', guest: 80 }],
      nics: [{ mode: 'lan', dockerNetwork: 'lan0', guestAddress: 'own' }],
    });
    expect(refused.map((e) => e.path)).toEqual(['ports', 'rdp']);
    expect(refused[0]!.message).toMatch(
      /guestAddress "own" is reached at its own LAN address directly, and nothing forwards to it\): add a nat NIC or remove ports/,
    );
    // Beside a nat NIC, ports and RDP go through the nat NIC.
    expect(
      parse({
        ports: [{ name: 'web', guest: 80 }],
        nics: [{ mode: 'nat' }, { mode: 'lan', dockerNetwork: 'lan0', guestAddress: 'own' }],
      }).success,
    ).toBe(true);
  });

  it('refuses lan fields on other modes, a lan NIC without its network, and odd subnets', () => {
    expect(errors({ nics: [{ mode: 'nat', dockerNetwork: 'x' }] })[0]).toEqual({
      path: 'nics.0.dockerNetwork',
      message: expect.stringMatching(/dockerNetwork is for lan NICs only/),
    });
    expect(errors({ nics: [{ mode: 'nat' }, { mode: 'lan' }] })[0]!.message).toMatch(
      /a lan NIC needs dockerNetwork/,
    );
    expect(errors({ nics: [{ mode: 'user', subnetV4: '10.5.0.0/24' }] })[0]!.message).toMatch(
      /user mode uses QEMU's own/,
    );
    expect(errors({ nics: [{ mode: 'nat', subnetV6: 'fd00:9::/48', ipv6: true }] })[0]!.message).toMatch(
      /use a \/64/,
    );
    expect(errors({ nics: [{ mode: 'nat', subnetV4: '10.5.0.0/31' }] })[0]!.message).toMatch(/\/8 to \/30/);
  });

  it('nics [] is no NIC: shares and ports are refused', () => {
    const paths = errors({ nics: [], shares: [{ name: 'data', volume: 'my-data' }] }).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['rdp', 'shares']));
  });
});
