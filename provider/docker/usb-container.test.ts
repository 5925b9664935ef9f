import { sampleSpec } from '../spec/sample-spec';
import { containerCreateOptions, type ContainerPlacement } from './container-spec';

const placement: ContainerPlacement = {
  containerName: 'windock-dev-01',
  image: 'windock/vm:dev',
  volumeName: 'windock-dev-01-storage',
  labels: {},
  published: [],
  kvmDevice: true,
  restartPolicy: 'no',
};

describe('USB passthrough in the container options', () => {
  it('without USB devices: no /dev/bus/usb and no device cgroup rule', () => {
    const host = containerCreateOptions(sampleSpec(), placement).HostConfig!;
    expect(host.DeviceCgroupRules ?? []).toEqual([]);
    expect((host.Mounts ?? []).map((m) => m.Target)).not.toContain('/dev/bus/usb');
  });

  it('with USB devices: /dev/bus/usb read-only and USB device nodes (major 189) only, still unprivileged', () => {
    const spec = sampleSpec({
      usb: [{ id: 'usbhost0', match: { kind: 'vendor-product', vendorId: '0x046d', productId: '0xc52b' } }],
    });
    const host = containerCreateOptions(spec, placement).HostConfig!;
    expect(host.DeviceCgroupRules).toEqual(['c 189:* rwm']);
    expect(host.Mounts).toContainEqual({
      Type: 'bind',
      Source: '/dev/bus/usb',
      Target: '/dev/bus/usb',
      ReadOnly: true,
    });
    expect(host.Privileged).toBe(false);
    expect(host.CapAdd).toEqual([]);
    expect(host.CapDrop).toEqual(['ALL']);
    expect((host.Devices ?? []).map((d: { PathOnHost: string }) => d.PathOnHost)).toEqual(['/dev/kvm']);
  });
});
