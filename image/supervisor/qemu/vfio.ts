import type { VmSpec } from '../../../contract';
import type { DevicesSpec } from '../../../contract/passthrough';

/** The spec as this concern reads it: `devices` is absent on a VM without passthrough. */
type PassthroughView = Pick<VmSpec, 'machine'> & { devices?: DevicesSpec };

/** Root ports of passed-through devices get chassis numbers from here, clear of anything else. */
const CHASSIS_BASE = 0x10;

const functionNumber = (address: string): number => Number(address.slice(-1));

/**
 * VFIO passthrough: each device gets its own PCIe root port (q35) so the guest sees it as a
 * real PCIe device, and every function of it sits on that port at its host function number
 * (the GPU at .0, its audio at .1, with multifunction on), as on the host. A ROM file and the
 * primary display (x-vga) belong to function 0. Pure.
 */
export function vfioArgs(spec: PassthroughView): string[] {
  const devices = spec.devices?.pci ?? [];
  const q35 = spec.machine.startsWith('pc-q35');
  const args: string[] = [];
  devices.forEach((device, i) => {
    const port = `vfio-rp${i}`;
    if (q35)
      args.push(
        '-device',
        `pcie-root-port,id=${port},bus=pcie.0,chassis=${CHASSIS_BASE + i},slot=${CHASSIS_BASE + i}`,
      );
    if (device.kind === 'mdev') {
      const placement = q35 ? `,bus=${port},addr=00.0` : '';
      args.push(
        '-device',
        `vfio-pci,sysfsdev=/sys/bus/mdev/devices/${device.uuid},id=${device.id}${placement}${device.primaryDisplay ? ',display=on' : ''}`,
      );
      return;
    }
    const functions = [...device.functions].sort(
      (a, b) => functionNumber(a.address) - functionNumber(b.address),
    );
    const multifunction = functions.length > 1;
    for (const fn of functions) {
      const n = functionNumber(fn.address);
      const options = [`vfio-pci`, `host=${fn.address}`, `id=${device.id}-f${n}`];
      if (q35) options.push(`bus=${port}`, `addr=00.${n}`);
      if (n === functionNumber(functions[0]!.address)) {
        if (multifunction) options.push('multifunction=on');
        if (device.primaryDisplay) options.push('x-vga=on');
        if (device.rom) options.push(`romfile=${device.rom.file}`);
      }
      args.push('-device', options.join(','));
    }
  });
  return args;
}

/**
 * The display arguments adjusted for passthrough: a device that is the primary display
 * replaces the emulated VGA ("display off" for QEMU's own adapter). Everything else stays.
 */
export function passthroughDisplayArgs(spec: PassthroughView, displayArgs: string[]): string[] {
  const primary = (spec.devices?.pci ?? []).some((d) => d.primaryDisplay);
  if (!primary) return displayArgs;
  const out: string[] = [];
  for (let i = 0; i < displayArgs.length; i++) {
    if (
      displayArgs[i] === '-device' &&
      /^(VGA|qxl-vga|virtio-vga|bochs-display)(,|$)/.test(displayArgs[i + 1] ?? '')
    ) {
      i++;
      continue;
    }
    out.push(displayArgs[i]!);
  }
  return out;
}
