import { containerCreateOptions } from '../../docker/container-spec';
import { allForwards, parseVmSpec } from '../../../contract';
import { identityFor } from './identity';
import { windowsVmInputs } from './inputs';
import { toPlacement, toVmSpec } from './to-spec';

const vm = windowsVmInputs.parse({
  name: 'build-01',
  media: { kind: 'disk-image', file: '/images/win11.vhdx', format: 'vhdx' },
  cpu: 4,
  memory: '8GiB',
  disks: [{ name: 'data', size: '10GiB' }],
  ports: [{ name: 'web', guest: 80, hostPort: 8080, bind: '0.0.0.0' }],
  accelerator: 'kvm',
});
const identity = identityFor('6f1c1d7e-2a4b-4c3d-9e8f-0a1b2c3d4e5f');

describe('inputs to spec and container', () => {
  it('produces a valid spec that the image accepts', () => {
    const spec = toVmSpec(vm, identity);
    expect(parseVmSpec(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
    expect(spec.disks.map((d) => [d.name, d.sizeMiB, d.source.kind])).toEqual([
      ['system', 65536, 'import'],
      ['data', 10240, 'blank'],
    ]);
    expect(allForwards(spec.network)).toEqual([
      { name: 'rdp', protocol: 'tcp', guest: 3389, container: 3389 },
      { name: 'rdp', protocol: 'udp', guest: 3389, container: 3389 },
      { name: 'web', protocol: 'tcp', guest: 80, container: 20000 },
    ]);
  });

  it('keeps a stable MAC and serial per VM', () => {
    expect(identityFor(identity.uuid)).toEqual(identity);
    expect(identity.mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
  });

  it('binds the console and RDP to loopback, opened ports where asked, and keeps chosen host ports', () => {
    const spec = toVmSpec(vm, identity);
    const placement = toPlacement(vm, spec, {
      image: 'windock/vm:dev',
      stack: 'dev',
      knownHostPorts: { '8006/tcp': 49200 },
    });
    expect(placement.published).toEqual(
      expect.arrayContaining([
        { containerPort: 3389, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 0 },
        { containerPort: 20000, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 8080 },
        { containerPort: 8006, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 49200 },
      ]),
    );
  });

  it('asks Docker for least privilege: no privileged, no capabilities, only /dev/kvm, no env', () => {
    const spec = toVmSpec(vm, identity);
    const options = containerCreateOptions(
      spec,
      toPlacement(vm, spec, { image: 'i', stack: 's', knownHostPorts: {} }),
    );
    expect(options.HostConfig).toMatchObject({
      Privileged: false,
      CapDrop: ['ALL'],
      CapAdd: [],
      SecurityOpt: ['no-new-privileges:true'],
    });
    expect(options.HostConfig?.Devices).toEqual([
      { PathOnHost: '/dev/kvm', PathInContainer: '/dev/kvm', CgroupPermissions: 'rwm' },
    ]);
    expect(options.Env).toEqual([]);
    expect(options.StopTimeout).toBe(125);
  });

  it('passes no KVM device for TCG', () => {
    const tcg = { ...vm, accelerator: 'tcg' as const };
    const spec = toVmSpec(tcg, identity);
    expect(toPlacement(tcg, spec, { image: 'i', stack: 's', knownHostPorts: {} }).kvmDevice).toBe(false);
  });
});
