import * as pulumi from '@pulumi/pulumi';
import { WindowsSnapshot, WindowsVm } from 'windock';

const config = new pulumi.Config();
const standinDir = config.require('standinGuestDir');
const accelerator = (config.get('accelerator') as 'auto' | 'kvm' | 'tcg' | undefined) ?? 'auto';
const small = {
  cpu: 1,
  memory: '256MiB',
  systemDiskSize: '64MiB',
  firmware: 'bios' as const,
  accelerator,
  readiness: 'agent' as const,
};

// The golden image: set up once (here: the stand-in guest; with Windows: installed and prepared).
const golden = new WindowsVm('golden', {
  ...small,
  media: {
    kind: 'kernel',
    kernelFile: `${standinDir}/vmlinuz`,
    initrdFile: `${standinDir}/initrd.img`,
    diskImageFile: `${standinDir}/disk.qcow2`,
  },
});

const ready = new WindowsSnapshot('golden-ready', {
  vm: golden.vmUuid,
  containerName: golden.containerName,
  name: 'ready',
  memory: false,
  description: 'the golden image, prepared',
});

// Clones: copy-on-write overlays over a frozen base of that snapshot, each with its own identity.
const clones = Array.from(
  { length: config.getNumber('clones') ?? 2 },
  (_, i) =>
    new WindowsVm(
      `clone-${i + 1}`,
      {
        ...small,
        name: `clone-${i + 1}`,
        cloneFrom: { container: golden.containerName, snapshot: ready.name },
      },
      { dependsOn: [ready] },
    ),
);

export const goldenContainer = golden.containerName;
export const cloneContainers = clones.map((clone) => clone.containerName);
export const cloneMacs = clones.map((clone) => clone.macAddress);
