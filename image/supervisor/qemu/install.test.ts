import { sampleSpec } from '../../../contract/sample-spec';
import type { VmSpec } from '../../../contract';
import { qemuArgv } from './argv';
import { DEBIAN_FIRMWARE } from './host-facts';
import { installArgs } from './install';

const values = (argv: string[], flag: string): string[] =>
  argv.flatMap((arg, i) => (arg === flag ? [argv[i + 1]!] : []));

const INSTALL: NonNullable<VmSpec['install']> = {
  windows: { version: '11', edition: 'pro' },
  media: { source: { kind: 'host-file', path: '/media/host/win11.iso' }, cacheKey: 'windows-11-pro-en-us' },
  drivers: { source: { kind: 'host-file', path: '/media/host/virtio-win.iso' }, cacheKey: 'virtio-win' },
  fetchedBy: 'provider',
};
const DRIVES = {
  media: '/media/host/win11.iso',
  drivers: '/media/host/virtio-win.iso',
  answer: '/storage/install/answer.img',
};

describe('install drives', () => {
  test('the ISO boots first as a read-only AHCI CD-ROM, the system disk second', () => {
    const spec = sampleSpec({ boot: { kind: 'disk' }, install: INSTALL });
    const argv = qemuArgv(spec, { accelerator: 'tcg', firmwareFiles: DEBIAN_FIRMWARE }, DRIVES);
    const devices = values(argv, '-device');
    expect(devices).toContain('ahci,id=ahci-install');
    expect(devices).toContain('ide-cd,bus=ahci-install.0,drive=install-media,id=install-cd,bootindex=0');
    expect(devices.find((d) => d.startsWith('virtio-blk-pci,drive=disk-system'))).toContain('bootindex=1');
    const blockdevs = values(argv, '-blockdev');
    expect(blockdevs).toContain(
      'driver=file,filename=/media/host/win11.iso,node-name=install-media-file,read-only=on',
    );
    expect(blockdevs).toContain('driver=raw,file=install-media-file,node-name=install-media,read-only=on');
  });

  test('the drivers ISO as a second CD-ROM, the answer file as a read-only USB stick after the xHCI controller', () => {
    const spec = sampleSpec({ boot: { kind: 'disk' }, install: INSTALL });
    const argv = qemuArgv(spec, { accelerator: 'tcg', firmwareFiles: DEBIAN_FIRMWARE }, DRIVES);
    const devices = values(argv, '-device');
    expect(devices).toContain('ide-cd,bus=ahci-install.1,drive=drivers-media,id=drivers-cd');
    const stick = devices.indexOf('usb-storage,bus=usb0.0,drive=answer-media,id=answer-drive,removable=on');
    expect(stick).toBeGreaterThan(devices.findIndex((d) => d.startsWith('qemu-xhci,id=usb0')));
    expect(values(argv, '-blockdev')).toContain(
      'driver=file,filename=/storage/install/answer.img,node-name=answer-media-file,read-only=on',
    );
  });

  test('nothing without an install or once it finished (no drives), no boot order on a kernel boot', () => {
    expect(installArgs(sampleSpec(), DRIVES)).toEqual([]);
    expect(installArgs(sampleSpec({ install: INSTALL }), undefined)).toEqual([]);
    const kernel = sampleSpec({
      boot: {
        kind: 'kernel',
        kernel: '/storage/boot/vmlinuz',
        initrd: '/storage/boot/initrd.img',
        cmdline: '',
      },
      install: INSTALL,
    });
    expect(installArgs(kernel, { media: DRIVES.media }).join(' ')).not.toContain('bootindex');
    expect(installArgs(kernel, { media: DRIVES.media }).join(' ')).not.toContain('usb-storage');
  });
});
