import { sampleSpec } from '../../contract/sample-spec';
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
const usbSpec = sampleSpec({
  usb: [{ id: 'usbhost0', match: { kind: 'vendor-product', vendorId: '0x046d', productId: '0xc52b' } }],
});
const node = { pathOnHost: '/dev/bus/usb/001/004', pathInContainer: '/dev/bus/usb/001/004' };

describe('USB passthrough in the container options', () => {
  it('without USB devices: no USB node, no /dev/bus/usb and no device cgroup rule', () => {
    const host = containerCreateOptions(sampleSpec(), { ...placement, usbDevices: [node] }).HostConfig!;
    expect(host.DeviceCgroupRules ?? []).toEqual([]);
    expect((host.Mounts ?? []).map((m) => m.Target)).not.toContain('/dev/bus/usb');
    expect((host.Devices ?? []).map((d: { PathOnHost: string }) => d.PathOnHost)).toEqual(['/dev/kvm']);
  });

  it("with USB devices: only the named devices' nodes (read-write, no mknod), never all of /dev/bus/usb", () => {
    const host = containerCreateOptions(usbSpec, { ...placement, usbDevices: [node] }).HostConfig!;
    expect(host.DeviceCgroupRules ?? []).toEqual([]);
    expect((host.Mounts ?? []).map((m) => m.Target)).not.toContain('/dev/bus/usb');
    expect(host.Devices).toEqual([
      { PathOnHost: '/dev/kvm', PathInContainer: '/dev/kvm', CgroupPermissions: 'rwm' },
      {
        PathOnHost: '/dev/bus/usb/001/004',
        PathInContainer: '/dev/bus/usb/001/004',
        CgroupPermissions: 'rw',
      },
    ]);
    expect(host.Privileged).toBe(false);
    expect(host.CapAdd).toEqual([]);
    expect(host.CapDrop).toEqual(['ALL']);
  });

  it('with USB devices none of which is plugged in: nothing of USB at all', () => {
    const host = containerCreateOptions(usbSpec, { ...placement, usbDevices: [] }).HostConfig!;
    expect(host.DeviceCgroupRules ?? []).toEqual([]);
    expect((host.Devices ?? []).map((d: { PathOnHost: string }) => d.PathOnHost)).toEqual(['/dev/kvm']);
  });
});
