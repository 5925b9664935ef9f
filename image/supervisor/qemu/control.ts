import { RUNTIME_PATHS, type VmSpec } from '../../../contract';

/** Names the guest sees for its virtio-serial ports. */
export const GUEST_AGENT_PORT = 'org.qemu.guest_agent.0';
export const BEACON_PORT = 'org.windock.beacon';

const unixServer = (id: string, path: string) => [
  '-chardev',
  `socket,id=${id},path=${path},server=on,wait=off`,
];

/**
 * Control stays on unix sockets inside the container: two QMP monitors (one for the
 * supervisor, one the provider reaches through `docker exec`), the guest agent and the
 * readiness beacon. Nothing listens on a network port.
 */
export function controlArgs(spec: VmSpec): string[] {
  const args = [
    ...unixServer('qmp-supervisor', RUNTIME_PATHS.qmpSupervisor),
    '-mon',
    'chardev=qmp-supervisor,mode=control',
    ...unixServer('qmp', RUNTIME_PATHS.qmp),
    '-mon',
    'chardev=qmp,mode=control',
    // The serial console goes to the supervisor's stdout (docker logs) through a pipe.
    '-chardev',
    `stdio,id=serial0,signal=off,logfile=${RUNTIME_PATHS.serialLog}`,
    '-serial',
    'chardev:serial0',
    '-device',
    'virtio-serial-pci,id=vserial0',
    ...unixServer('beacon', RUNTIME_PATHS.beacon),
    // With an id, QEMU emits VSERPORT_CHANGE when the guest opens the port.
    '-device',
    `virtserialport,bus=vserial0.0,chardev=beacon,name=${BEACON_PORT},id=beacon`,
  ];
  if (spec.guestAgent.enabled) {
    args.push(
      ...unixServer('qga', RUNTIME_PATHS.guestAgent),
      '-device',
      `virtserialport,bus=vserial0.0,chardev=qga,name=${GUEST_AGENT_PORT},id=qga`,
    );
  }
  return args;
}

export function displayArgs(spec: VmSpec): string[] {
  return [
    '-display',
    'none',
    '-device',
    'VGA,vgamem_mb=64',
    '-device',
    'qemu-xhci,id=usb0',
    '-device',
    'usb-tablet,bus=usb0.0',
    ...(spec.console.enabled ? ['-vnc', `unix:${RUNTIME_PATHS.vnc}`] : []),
    // Memory can be given back live through the balloon (the `live` tier for RAM shrink).
    '-device',
    'virtio-balloon-pci,id=balloon0',
  ];
}
