import { containerCreateOptions } from '../docker/container-spec';
import { sampleSpec } from '../../contract/sample-spec';
import type { DevicesSpec } from '../../contract/passthrough';
import { withPassthrough } from './container';

const placement = {
  containerName: 'windock-build-01',
  image: 'windock/vm:dev',
  volumeName: 'windock-build-01-6f1c1d7e',
  labels: { 'io.windock.managed': 'true' },
  published: [],
  kvmDevice: true,
  restartPolicy: 'no' as const,
};

const devices: DevicesSpec = {
  pci: [
    {
      kind: 'pci',
      id: 'gpu0',
      functions: [
        { address: '0000:01:00.0', iommuGroup: '14' },
        { address: '0000:01:00.1', iommuGroup: '14' },
      ],
      rom: { hostFile: '/srv/roms/rtx3080.rom', file: '/etc/windock/vfio/gpu0.rom' },
      primaryDisplay: false,
    },
  ],
};

describe('withPassthrough', () => {
  it('leaves a VM without devices untouched', () => {
    const base = containerCreateOptions(sampleSpec(), placement);
    expect(withPassthrough(sampleSpec(), base)).toBe(base);
  });

  it('adds only the VFIO nodes of its own groups, memlock for the guest RAM, the ROM read-only and in-use labels', () => {
    const spec = { ...sampleSpec({ memoryMiB: 8192 }), devices };
    const options = containerCreateOptions(spec, placement);
    expect(options.HostConfig!.Devices!.map((d: { PathOnHost: string }) => d.PathOnHost)).toEqual([
      '/dev/kvm',
      '/dev/vfio/vfio',
      '/dev/vfio/14',
    ]);
    expect(options.HostConfig!.Ulimits).toEqual([
      { Name: 'memlock', Soft: 9216 * 1024 ** 2, Hard: 9216 * 1024 ** 2 },
    ]);
    expect(options.HostConfig!.Mounts).toContainEqual({
      Type: 'bind',
      Source: '/srv/roms/rtx3080.rom',
      Target: '/etc/windock/vfio/gpu0.rom',
      ReadOnly: true,
    });
    expect(options.Labels).toMatchObject({
      'io.windock.vfio.0000-01-00.0': 'gpu0',
      'io.windock.vfio.0000-01-00.1': 'gpu0',
      'io.windock.managed': 'true',
    });
    // Least privilege stays: nothing privileged, no capability.
    expect(options.HostConfig!.Privileged).toBe(false);
    expect(options.HostConfig!.CapAdd).toEqual([]);
    expect(options.HostConfig!.CapDrop).toEqual(['ALL']);
  });
});
