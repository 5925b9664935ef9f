/**
 * Where things live inside a windock container. The storage volume is the VM: it outlives
 * every container. Documented for users in image/README.md ("State layout").
 */
export const CONTAINER_PATHS = {
  /** The folder of the VM spec document (the provider writes it there as an archive). */
  specDir: '/etc/windock',
  /** The VM spec document, written by the provider before the container starts. */
  spec: '/etc/windock/spec.json',
  /**
   * Secret files (console token, passwords), one per file, mode 0400, in the /run tmpfs: never in
   * the writable layer, the volume or env. The provider hands them over after each start.
   */
  secretsDir: '/run/windock/secrets',
  /** The storage volume: disks, firmware variables, TPM state, the install record. */
  storage: '/storage',
  /** Runtime sockets and status, gone with the container. */
  run: '/run/windock',
  /** The host's media cache volume (shared by every VM on the host). */
  mediaCache: '/cache',
  /** Files on the host mounted read-only (an ISO the user already has). */
  hostMedia: '/media/host',
  /** Shared folders, one subfolder per share. */
  shares: '/shares',
} as const;

export const STORAGE_PATHS = {
  /** What was installed, from which media, by which spec version: guards against silent reinstall. */
  record: '/storage/windock-volume.json',
  disksDir: '/storage/disks',
  firmwareVars: '/storage/firmware/vars.qcow2',
  tpmDir: '/storage/tpm',
  bootDir: '/storage/boot',
  /** Disk images the provider copied in, converted by the image at first start. */
  importDir: '/storage/import',
  /** windock's snapshot records, one JSON file per snapshot tag. */
  snapshotsDir: '/storage/snapshots',
  logsDir: '/storage/logs',
  /** Install-time files: the answer-file drive, install progress. */
  installDir: '/storage/install',
  recordingsDir: '/storage/recordings',
} as const;

export const RUNTIME_PATHS = {
  status: '/run/windock/status.json',
  /** QMP for the supervisor (one client per monitor socket, so the provider gets its own). */
  qmpSupervisor: '/run/windock/qmp-supervisor.sock',
  qmp: '/run/windock/qmp.sock',
  guestAgent: '/run/windock/qga.sock',
  beacon: '/run/windock/beacon.sock',
  vnc: '/run/windock/vnc.sock',
  swtpm: '/run/windock/swtpm.sock',
  serialLog: '/run/windock/serial.log',
  /** The supervisor's control channel (recording start/stop...), one JSON request per line. */
  control: '/run/windock/control.sock',
} as const;

export function diskPath(name: string, format: 'qcow2' | 'raw'): string {
  return `${STORAGE_PATHS.disksDir}/${name}.${format === 'qcow2' ? 'qcow2' : 'img'}`;
}
