import * as pulumi from '@pulumi/pulumi';
import { WindowsSnapshot, WindowsVm } from 'windock';

const config = new pulumi.Config();
const standinDir = config.require('standinGuestDir');
const generation = config.getNumber('restoreGeneration');

const vm = new WindowsVm('lab', {
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
  readiness: 'agent',
  // Malware labs and CI: go back to the clean state before each run (bump restoreGeneration).
  ...(generation === undefined ? {} : { restoreFrom: { snapshot: 'clean', generation } }),
});

const clean = new WindowsSnapshot('clean', {
  vm: vm.vmUuid,
  containerName: vm.containerName,
  name: 'clean',
  memory: true,
  description: 'booted and idle, before any experiment',
});

export const container = vm.containerName;
export const snapshotTakenAt = clean.createdAt;
export const console = vm.consoleUrl;
