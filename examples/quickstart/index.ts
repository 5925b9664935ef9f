import * as pulumi from '@pulumi/pulumi';
import { WindowsVm, type WindowsVmArgs } from 'windock';

const config = new pulumi.Config();

// `npm run quickstart` decides the route (examples/runner/quickstart-route.ts): "windows" where the
// host has usable KVM, room, and Microsoft's download answers; otherwise windock's small stand-in
// guest: the same image, container, QEMU, console and lifecycle, without Windows.
const route = config.get('route') ?? 'standin';

function windowsArgs(): WindowsVmArgs {
  return {
    media: { kind: 'windows', version: '11', edition: 'pro', language: 'en-us' },
    unattend: {
      adminUser: 'windock',
      adminPassword: config.requireSecret('adminPassword'),
      computerName: 'QUICKSTART',
      timeZone: config.get('timeZone') ?? 'UTC',
    },
    cpu: config.getNumber('cpu') ?? 2,
    memory: config.get('memory') ?? '4GiB',
    systemDiskSize: '64GiB',
    firmware: 'uefi-secure',
    tpm: true,
    // Windows under software emulation takes hours: the route is only taken with real KVM.
    accelerator: (config.get('accelerator') as 'kvm' | 'tcg' | undefined) ?? 'kvm',
    rdp: { enabled: true, bind: '127.0.0.1' },
    console: { viewOnly: false },
    // `pulumi up` ends at the desktop: the first logon of the installed Windows.
    readiness: 'beacon',
    timeouts: { createSeconds: 3 * 3600 },
  };
}

function standinArgs(): WindowsVmArgs {
  const standinDir = config.get('standinGuestDir');
  if (!standinDir) {
    throw new Error(
      'set standinGuestDir (pulumi config set standinGuestDir /var/cache/windock/guest), or route=windows on a KVM host',
    );
  }
  return {
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
  };
}

const vm = new WindowsVm('quickstart', route === 'windows' ? windowsArgs() : standinArgs());

export const consoleUrl = vm.consoleUrl;
export const rdpEndpoint = vm.rdpEndpoint;
export const phase = vm.phase;
export const accelerator = vm.activeAccelerator;
export const changeImpact = vm.changeImpact;
