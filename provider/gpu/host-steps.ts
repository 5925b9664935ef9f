/**
 * Host changes for passthrough as data: one sysfs write each. Rendered as shell lines for
 * people (`echo VALUE > /sys/...`), and as the script a helper container runs when the user
 * opted in (bindVfio), against the host's /sys bound at another root. One list, two renderings.
 */
export interface SysfsWrite {
  /** Path under the sysfs root ("bus/pci/devices/0000:01:00.0/driver_override"). */
  path: string;
  /** The value written ("" writes a bare newline, which clears driver_override). */
  value: string;
  /** Skip the write when this path does not exist (unbind when no driver is bound). */
  onlyIfExists?: string;
}

/** Binding one function to vfio-pci: the override, unbind from its current driver, reprobe. */
export function bindWrites(address: string): SysfsWrite[] {
  const dir = `bus/pci/devices/${address}`;
  return [
    { path: `${dir}/driver_override`, value: 'vfio-pci' },
    { path: `${dir}/driver/unbind`, value: address, onlyIfExists: `${dir}/driver` },
    { path: 'bus/pci/drivers_probe', value: address },
  ];
}

/** Giving one function back to its own driver: clear the override, unbind from vfio-pci, reprobe. */
export function restoreWrites(address: string): SysfsWrite[] {
  const dir = `bus/pci/devices/${address}`;
  return [
    { path: `${dir}/driver_override`, value: '' },
    { path: `${dir}/driver/unbind`, value: address, onlyIfExists: `${dir}/driver` },
    { path: 'bus/pci/drivers_probe', value: address },
  ];
}

/** Creating a mediated device of a type offered by a parent device. */
export function mdevCreateWrites(parent: string, type: string, uuid: string): SysfsWrite[] {
  return [{ path: `bus/pci/devices/${parent}/mdev_supported_types/${type}/create`, value: uuid }];
}

export function mdevRemoveWrites(uuid: string): SysfsWrite[] {
  return [{ path: `bus/mdev/devices/${uuid}/remove`, value: '1', onlyIfExists: `bus/mdev/devices/${uuid}` }];
}

/** Enabling SR-IOV virtual functions on a physical function (the count can only change from 0). */
export function sriovWrites(parent: string, count: number): SysfsWrite[] {
  return [{ path: `bus/pci/devices/${parent}/sriov_numvfs`, value: String(count) }];
}

/** For people: the exact commands to run as root on the host. */
export function renderForHost(writes: SysfsWrite[]): string[] {
  return writes.map((w) => {
    const line = w.value === '' ? `echo > /sys/${w.path}` : `echo ${w.value} > /sys/${w.path}`;
    return w.onlyIfExists ? `[ -e /sys/${w.onlyIfExists} ] && ${line}` : line;
  });
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * For the helper container: a POSIX sh script writing under the root $1, stopping at the first
 * failed write and naming it. Each write is announced on stdout first ("W path").
 */
export function renderScript(writes: SysfsWrite[]): string {
  const lines = ['set -u', 'R="$1"'];
  for (const w of writes) {
    for (const part of [w.path, w.value, w.onlyIfExists ?? '']) {
      if (/[\n\0]/.test(part)) throw new Error(`refusing a sysfs write with a newline: ${w.path}`);
    }
    const write = `echo W ${quote(w.path)}; printf '%s\\n' ${quote(w.value)} > "$R"/${quote(w.path)} || { echo "FAILED ${w.path.replace(/["$`\\]/g, '')}" >&2; exit 3; }`;
    lines.push(w.onlyIfExists ? `if [ -e "$R"/${quote(w.onlyIfExists)} ]; then ${write}; fi` : write);
  }
  lines.push('echo DONE');
  return lines.join('\n') + '\n';
}
