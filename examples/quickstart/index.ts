import * as pulumi from '@pulumi/pulumi';
import { WindowsVm } from 'windock';

const config = new pulumi.Config();

// Windows itself needs its media from Microsoft. Where that cannot be reached (or before the
// Windows installer path is enabled for this project), the quickstart boots windock's small
// stand-in guest instead: the same image, container, QEMU, console and lifecycle.
const standinDir = config.get('standinGuestDir');
if (!standinDir) {
  throw new Error(
    'set standinGuestDir (pulumi config set standinGuestDir /var/cache/windock/guest): ' +
      'Windows media is not available to this quickstart yet',
  );
}

const vm = new WindowsVm('quickstart', {
  media: {
    kind: 'kernel',
    kernelFile: `${standinDir}/vmlinuz`,
    initrdFile: `${standinDir}/initrd.img`,
    diskImageFile: `${standinDir}/disk.qcow2`,
  },
  cpu: config.getNumber('cpu') ?? 1,
  memory: config.get('memory') ?? '512MiB',
  systemDiskSize: '1GiB',
  firmware: 'bios',
  accelerator: (config.get('accelerator') as 'auto' | 'kvm' | 'tcg' | undefined) ?? 'auto',
  console: { viewOnly: false },
});

export const consoleUrl = vm.consoleUrl;
export const rdpEndpoint = vm.rdpEndpoint;
export const phase = vm.phase;
export const accelerator = vm.activeAccelerator;
export const changeImpact = vm.changeImpact;
