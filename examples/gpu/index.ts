import * as pulumi from '@pulumi/pulumi';
import { GpuAssignment, WindowsVm } from 'windock';

const config = new pulumi.Config();
const host = config.get('host') ?? 'local';

// Exclusive on its host: no other VM, stack or concurrent `pulumi up` can hold this GPU.
const gpu = new GpuAssignment('gpu0', {
  host,
  vm: 'cad-01',
  select: { pciAddress: config.get('pciAddress') ?? '0000:01:00.0' },
  // With bindVfio, windock binds the GPU to vfio-pci through a short-lived helper container and
  // undoes it on delete; without it, the preview prints the exact host steps.
  bindVfio: config.getBoolean('bindVfio') ?? false,
});

// A prepared Windows disk; where none exists (CI here), the stand-in guest shows the plan.
const standinDir = config.get('standinGuestDir');
const vm = new WindowsVm('cad-01', {
  host,
  name: 'cad-01',
  media: standinDir
    ? {
        kind: 'kernel',
        kernelFile: `${standinDir}/vmlinuz`,
        initrdFile: `${standinDir}/initrd.img`,
        diskImageFile: `${standinDir}/disk.qcow2`,
      }
    : { kind: 'disk-image', file: config.require('diskImage'), format: 'qcow2' },
  cpu: config.getNumber('cpu') ?? 8,
  memory: config.get('memory') ?? '16GiB',
  firmware: 'uefi-secure',
  tpm: true,
  // A GPU needs KVM: "auto" uses it where it truly works (VFIO refuses TCG at preview).
  accelerator: 'auto',
  gpu: gpu.id,
});

export const gpuModel = gpu.model;
export const console = vm.consoleUrl;
