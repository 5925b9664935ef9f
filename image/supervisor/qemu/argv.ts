import type { VmSpec } from '../../../contract';
import { bootArgs } from './boot';
import { controlArgs, displayArgs } from './control';
import { machineAndCpuArgs } from './cpu';
import { diskArgs } from './disks';
import { firmwareArgs } from './firmware';
import type { HostFacts } from './host-facts';
import { installArgs, type InstallDrives } from './install';
import { networkArgs } from './network';
import { audioArgs } from './audio';
import { usbArgs } from './usb';
import { passthroughDisplayArgs, vfioArgs } from './vfio';
import { panicArgs } from './panic';

export const QEMU_BINARY = 'qemu-system-x86_64';

/** The whole QEMU command line for one spec on one host. Pure: no I/O. */
export function qemuArgv(spec: VmSpec, facts: HostFacts, install?: InstallDrives): string[] {
  return [
    '-name',
    `guest=${spec.name},process=qemu-${spec.name},debug-threads=on`,
    '-nodefaults',
    '-no-user-config',
    ...machineAndCpuArgs(spec, facts),
    ...firmwareArgs(spec, facts),
    '-uuid',
    spec.identity.uuid,
    '-smbios',
    `type=1,serial=${spec.identity.serial},uuid=${spec.identity.uuid}`,
    ...diskArgs(spec),
    ...networkArgs(spec),
    ...vfioArgs(spec),
    ...usbArgs(spec),
    ...audioArgs(spec),
    ...controlArgs(spec),
    ...panicArgs(),
    ...passthroughDisplayArgs(spec, displayArgs(spec)),
    // After the display's xHCI controller: the answer drive is a USB stick on it.
    ...installArgs(spec, install),
    ...bootArgs(spec),
  ];
}
