import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What discovery reads from sysfs, and nothing else: directory listings, small attribute files
 * and symlink targets, by path relative to the sysfs root ("bus/pci/devices/0000:01:00.0/vendor").
 * Two sources: a directory on this machine (`rootedSysfs('/sys')`, or a synthetic tree in
 * tests), and the text a helper container prints from a remote host's /sys (`parseSysfsDump`).
 */
export interface SysfsSource {
  /** Entry names of a directory, sorted; undefined when it does not exist. */
  list(path: string): string[] | undefined;
  /** A file's content, trimmed; undefined when it does not exist or cannot be read. */
  read(path: string): string | undefined;
  /** A symlink's target as written; undefined when the path is not a symlink. */
  link(path: string): string | undefined;
}

export function rootedSysfs(root: string): SysfsSource {
  return {
    list(path) {
      try {
        return readdirSync(join(root, path)).sort();
      } catch {
        return undefined;
      }
    },
    read(path) {
      try {
        return readFileSync(join(root, path), 'utf8').trim();
      } catch {
        return undefined;
      }
    },
    link(path) {
      try {
        return readlinkSync(join(root, path));
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * A POSIX sh script that prints exactly what discovery reads (and no more) from the sysfs
 * tree at $1, one record a line: `D<TAB>path<TAB>names` (names separated by \036),
 * `F<TAB>path<TAB>content` (newlines as \036, tabs as \035), `L<TAB>path<TAB>target`.
 * It runs in a short-lived helper container with the host's /sys bound read-only.
 */
export const SYSFS_DUMP_SCRIPT = String.raw`
R="$1"
d_() { [ -d "$R/$1" ] || return 0; printf 'D\t%s\t' "$1"; ls -1 "$R/$1" 2>/dev/null | tr '\n' '\036'; printf '\n'; }
f_() { [ -f "$R/$1" ] && [ -r "$R/$1" ] || return 0; printf 'F\t%s\t' "$1"; tr '\n\t' '\036\035' < "$R/$1" 2>/dev/null; printf '\n'; }
l_() { [ -L "$R/$1" ] || return 0; printf 'L\t%s\t%s\n' "$1" "$(readlink "$R/$1")"; }
d_ bus/pci/devices
for p in "$R"/bus/pci/devices/*; do
  [ -e "$p" ] || continue
  a="bus/pci/devices/\${p##*/}"
  for f in class vendor device subsystem_vendor subsystem_device boot_vga driver_override sriov_totalvfs sriov_numvfs; do f_ "$a/$f"; done
  l_ "$a/driver"; l_ "$a/iommu_group"; l_ "$a/physfn"
  d_ "$a"
  for v in "$p"/virtfn*; do [ -L "$v" ] && l_ "$a/\${v##*/}"; done
  if [ -d "$p/mdev_supported_types" ]; then
    d_ "$a/mdev_supported_types"
    for t in "$p"/mdev_supported_types/*; do
      [ -d "$t" ] || continue
      b="$a/mdev_supported_types/\${t##*/}"
      f_ "$b/name"; f_ "$b/available_instances"; f_ "$b/device_api"; f_ "$b/description"; d_ "$b/devices"
    done
  fi
done
d_ kernel/iommu_groups
for g in "$R"/kernel/iommu_groups/*; do [ -d "$g" ] && d_ "kernel/iommu_groups/\${g##*/}/devices"; done
d_ bus/pci/drivers
d_ class/mdev_bus
d_ bus/mdev/devices
for m in "$R"/bus/mdev/devices/*; do
  [ -e "$m" ] || continue
  b="bus/mdev/devices/\${m##*/}"
  l_ "$b"; l_ "$b/mdev_type"; l_ "$b/iommu_group"
done
echo 'E	end'
`.replace(/\\\$\{/g, '${');

/** The dump's stand-ins for newline (\036, record separator) and tab (\035, group separator). */
const RS = String.fromCharCode(0x1e);
const GS = String.fromCharCode(0x1d);

/** Parses the dump script's output into a source; refuses a truncated dump. */
export function parseSysfsDump(text: string): SysfsSource {
  const dirs = new Map<string, string[]>();
  const files = new Map<string, string>();
  const links = new Map<string, string>();
  let complete = false;
  for (const line of text.split('\n')) {
    const [kind, path, ...rest] = line.split('\t');
    const value = rest.join('\t');
    if (kind === 'D' && path) dirs.set(path, value.split(RS).filter(Boolean).sort());
    else if (kind === 'F' && path) files.set(path, value.split(RS).join('\n').split(GS).join('\t').trim());
    else if (kind === 'L' && path) links.set(path, value);
    else if (kind === 'E') complete = true;
  }
  if (!complete)
    throw new Error('the sysfs listing from the host is incomplete (the helper container stopped early)');
  return {
    list: (path) => dirs.get(path),
    read: (path) => files.get(path),
    link: (path) => links.get(path),
  };
}
