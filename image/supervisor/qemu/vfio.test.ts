import { sampleSpec } from '../../../contract/sample-spec';
import {
  devicesSpec,
  memorySnapshotRefusal,
  romContainerPath,
  vfioDeviceNodes,
  type DevicesSpec,
} from '../../../contract/passthrough';
import { displayArgs } from './control';
import { passthroughDisplayArgs, vfioArgs } from './vfio';

const gpu: DevicesSpec = {
  pci: [
    {
      kind: 'pci',
      id: 'gpu0',
      functions: [
        { address: '0000:01:00.1', iommuGroup: '14' },
        { address: '0000:01:00.0', iommuGroup: '14' },
      ],
      primaryDisplay: false,
    },
  ],
};

const devicesOf = (argv: string[]) => argv.flatMap((arg, i) => (arg === '-device' ? [argv[i + 1]!] : []));

describe('vfioArgs', () => {
  it('adds nothing without devices', () => {
    expect(vfioArgs(sampleSpec())).toEqual([]);
  });

  it('puts every function of the GPU on its own root port, function 0 first with multifunction', () => {
    expect(devicesOf(vfioArgs({ ...sampleSpec(), devices: gpu }))).toEqual([
      'pcie-root-port,id=vfio-rp0,bus=pcie.0,chassis=16,slot=16',
      'vfio-pci,host=0000:01:00.0,id=gpu0-f0,bus=vfio-rp0,addr=00.0,multifunction=on',
      'vfio-pci,host=0000:01:00.1,id=gpu0-f1,bus=vfio-rp0,addr=00.1',
    ]);
  });

  it('gives function 0 the ROM file and x-vga when it is the primary display', () => {
    const devices: DevicesSpec = {
      pci: [
        {
          ...(gpu.pci[0] as Extract<DevicesSpec['pci'][0], { kind: 'pci' }>),
          primaryDisplay: true,
          rom: { hostFile: '/srv/roms/gpu.rom', file: romContainerPath('gpu0') },
        },
      ],
    };
    const argv = devicesOf(vfioArgs({ ...sampleSpec(), devices }));
    expect(argv[1]).toBe(
      'vfio-pci,host=0000:01:00.0,id=gpu0-f0,bus=vfio-rp0,addr=00.0,multifunction=on,x-vga=on,romfile=/etc/windock/vfio/gpu0.rom',
    );
    expect(argv[2]).not.toContain('romfile');
    expect(argv[2]).not.toContain('x-vga');
  });
});

describe('vfioArgs: single functions, mediated devices and root ports', () => {
  it('passes a single function (an SR-IOV virtual function) without multifunction', () => {
    const devices: DevicesSpec = {
      pci: [
        {
          kind: 'pci',
          id: 'vf0',
          functions: [{ address: '0000:03:00.4', iommuGroup: '40' }],
          primaryDisplay: false,
        },
      ],
    };
    expect(devicesOf(vfioArgs({ ...sampleSpec(), devices }))[1]).toBe(
      'vfio-pci,host=0000:03:00.4,id=vf0-f4,bus=vfio-rp0,addr=00.4',
    );
  });

  it('passes a mediated device by its sysfs path', () => {
    const devices: DevicesSpec = {
      pci: [
        {
          kind: 'mdev',
          id: 'vgpu0',
          uuid: 'b1b9f0f4-5e0b-4c1a-9a57-2d1c6a4f7e01',
          iommuGroup: '77',
          primaryDisplay: false,
        },
      ],
    };
    expect(devicesOf(vfioArgs({ ...sampleSpec(), devices }))[1]).toBe(
      'vfio-pci,sysfsdev=/sys/bus/mdev/devices/b1b9f0f4-5e0b-4c1a-9a57-2d1c6a4f7e01,id=vgpu0,bus=vfio-rp0,addr=00.0',
    );
  });

  it('uses no root ports on an i440fx machine', () => {
    const argv = devicesOf(vfioArgs({ ...sampleSpec({ machine: 'pc-i440fx-7.2' }), devices: gpu }));
    expect(argv).toEqual([
      'vfio-pci,host=0000:01:00.0,id=gpu0-f0,multifunction=on',
      'vfio-pci,host=0000:01:00.1,id=gpu0-f1',
    ]);
  });

  it('gives every device its own root port and chassis', () => {
    const devices: DevicesSpec = {
      pci: [
        gpu.pci[0]!,
        {
          kind: 'pci',
          id: 'gpu1',
          functions: [{ address: '0000:02:00.0', iommuGroup: '15' }],
          primaryDisplay: false,
        },
      ],
    };
    const ports = devicesOf(vfioArgs({ ...sampleSpec(), devices })).filter((d) =>
      d.startsWith('pcie-root-port'),
    );
    expect(ports).toEqual([
      'pcie-root-port,id=vfio-rp0,bus=pcie.0,chassis=16,slot=16',
      'pcie-root-port,id=vfio-rp1,bus=pcie.0,chassis=17,slot=17',
    ]);
  });
});

describe('passthroughDisplayArgs', () => {
  it('keeps the emulated VGA unless a device is the primary display', () => {
    const spec = { ...sampleSpec(), devices: gpu };
    expect(passthroughDisplayArgs(spec, displayArgs(spec))).toEqual(displayArgs(spec));
  });

  it('drops the emulated VGA (display off) for a primary passed-through GPU, keeping the rest', () => {
    const devices: DevicesSpec = {
      pci: [{ ...(gpu.pci[0] as Extract<DevicesSpec['pci'][0], { kind: 'pci' }>), primaryDisplay: true }],
    };
    const spec = { ...sampleSpec(), devices };
    const out = passthroughDisplayArgs(spec, displayArgs(spec));
    expect(devicesOf(out).some((d) => d.startsWith('VGA'))).toBe(false);
    expect(devicesOf(out)).toContain('qemu-xhci,id=usb0');
    expect(out).toContain('-display');
  });
});

describe('the devices spec', () => {
  it('accepts a GPU with its audio function', () => {
    expect(devicesSpec.safeParse(gpu).success).toBe(true);
  });

  it('refuses functions of two slots in one device, duplicates, two primary displays and commas in a ROM path', () => {
    const bad = (devices: unknown) => devicesSpec.safeParse(devices).success;
    expect(
      bad({
        pci: [
          {
            kind: 'pci',
            id: 'g',
            functions: [
              { address: '0000:01:00.0', iommuGroup: '1' },
              { address: '0000:02:00.1', iommuGroup: '1' },
            ],
            primaryDisplay: false,
          },
        ],
      }),
    ).toBe(false);
    expect(bad({ pci: [gpu.pci[0], { ...gpu.pci[0], id: 'other' }] })).toBe(false);
    expect(
      bad({
        pci: [
          { ...gpu.pci[0], primaryDisplay: true },
          {
            kind: 'pci',
            id: 'g2',
            functions: [{ address: '0000:02:00.0', iommuGroup: '2' }],
            primaryDisplay: true,
          },
        ],
      }),
    ).toBe(false);
    expect(bad({ pci: [{ ...gpu.pci[0], rom: { hostFile: '/srv/a.rom', file: '/etc/a,b.rom' } }] })).toBe(
      false,
    );
    expect(
      bad({
        pci: [
          {
            kind: 'pci',
            id: 'g',
            functions: [{ address: '01:00.0', iommuGroup: '1' }],
            primaryDisplay: false,
          },
        ],
      }),
    ).toBe(false);
  });

  it('names the VFIO nodes the container needs: the container node and each group once', () => {
    expect(vfioDeviceNodes(undefined)).toEqual([]);
    expect(vfioDeviceNodes(gpu)).toEqual(['/dev/vfio/vfio', '/dev/vfio/14']);
  });

  it('refuses memory snapshots of a VM with passed-through devices, naming them', () => {
    expect(memorySnapshotRefusal(sampleSpec())).toBeUndefined();
    expect(memorySnapshotRefusal({ ...sampleSpec(), devices: gpu })).toMatch(
      /VM "build-01" has passed-through devices: gpu0 \(0000:01:00.1, 0000:01:00.0\)\. A memory snapshot cannot/,
    );
  });
});
