import * as pulumi from '@pulumi/pulumi';
import { WindowsVm, type WindowsVmArgs } from 'windock';

/**
 * A fleet of identical VMs spread round-robin over hosts. The hosts themselves (address, user,
 * key, pinned host key) live in the windock:hosts stack config, not here.
 */
export class WindowsFleet extends pulumi.ComponentResource {
  readonly vms: WindowsVm[];

  constructor(
    name: string,
    args: { hosts: string[]; count: number; template: Omit<WindowsVmArgs, 'host' | 'name'> },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('windock-examples:index:WindowsFleet', name, {}, opts);
    this.vms = Array.from({ length: args.count }, (_, i) => {
      const host = args.hosts[i % args.hosts.length]!;
      return new WindowsVm(
        `${name}-${i + 1}`,
        { ...args.template, host, name: `${name}-${i + 1}` },
        { parent: this },
      );
    });
    this.registerOutputs({ vms: this.vms.map((vm) => vm.containerName) });
  }
}

const config = new pulumi.Config();
const standinDir = config.require('standinGuestDir');

const fleet = new WindowsFleet('ci', {
  hosts: config.requireObject<string[]>('hosts'),
  count: config.getNumber('count') ?? 2,
  template: {
    media: {
      kind: 'kernel',
      kernelFile: `${standinDir}/vmlinuz`,
      initrdFile: `${standinDir}/initrd.img`,
      diskImageFile: `${standinDir}/disk.qcow2`,
    },
    cpu: 1,
    memory: '256MiB',
    systemDiskSize: '64MiB',
    firmware: 'bios',
    accelerator: (config.get('accelerator') as 'auto' | 'kvm' | 'tcg' | undefined) ?? 'auto',
  },
});

export const vms = fleet.vms.map((vm) => ({ name: vm.containerName, host: vm.phase, rdp: vm.rdpEndpoint }));
