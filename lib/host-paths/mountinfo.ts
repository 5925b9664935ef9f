/** One line of /proc/PID/mountinfo: where a mount is, which file system, and which folder of it. */
export interface MountEntry {
  device: string;
  /** The folder of the file system that this mount shows (not "/" for a bind mount of a folder). */
  root: string;
  mountPoint: string;
}

/** "\040" and the like are how mountinfo writes spaces, tabs, newlines and backslashes. */
const unescape = (field: string) =>
  field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));

export function parseMountinfo(text: string): MountEntry[] {
  return text
    .split('\n')
    .map((line) => line.split(' '))
    .filter((fields) => fields.length >= 5)
    .map((fields) => ({ device: fields[2]!, root: unescape(fields[3]!), mountPoint: unescape(fields[4]!) }));
}

const within = (path: string, folder: string) =>
  folder === '/' || path === folder || path.startsWith(folder + '/');

/**
 * Where a resolved host path really lies when a bind mount put it there: `mount --bind /etc
 * /srv/x` makes "/srv/x" show /etc, which no symbolic link reveals. `mounts` are the helper's,
 * with the host's "/" at `hostRoot`; the answer is a path on the host where the same folder
 * is visible from its file system's top, or undefined when no bind mount is involved.
 */
export function bindMountSource(mounts: MountEntry[], hostRoot: string, path: string): string | undefined {
  const onHost = mounts
    .filter((m) => within(m.mountPoint, hostRoot))
    .map((m) => ({ ...m, mountPoint: m.mountPoint.slice(hostRoot.length) || '/' }));
  // The deepest mount point holds the path; of equal ones, the last mounted (it covers the others).
  const holder = onHost
    .filter((m) => within(path, m.mountPoint))
    .reduce<MountEntry | undefined>(
      (best, m) => (!best || m.mountPoint.length >= best.mountPoint.length ? m : best),
      undefined,
    );
  if (!holder || holder.root === '/' || holder.mountPoint === '/') return undefined;
  const rest = path.slice(holder.mountPoint === '/' ? 0 : holder.mountPoint.length);
  const whole = onHost.find((m) => m.device === holder.device && m.root === '/');
  const inside = holder.root + rest;
  if (!whole) return inside;
  return whole.mountPoint === '/' ? inside : whole.mountPoint + inside;
}
