import { posix } from 'node:path';

/**
 * System locations of a Docker host that a VM must never get as a host path (a shared
 * folder, a ROM file, an install ISO), even where an allow list (allowed-host-paths.ts) would
 * let it: the host's configuration and credentials, kernel and device interfaces, container
 * engines' state and sockets, package and scheduler state, boot files, swap and temporary
 * folders. A path inside one of these, or a parent of one (mounting "/" exposes all of them),
 * is refused. The allow list is the first line; this one catches an allow list set too wide.
 */
export const DENIED_HOST_PATHS: readonly string[] = [
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/efi',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/lost+found',
  '/ostree',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/snap',
  '/swapfile',
  '/swap.img',
  '/sys',
  '/sysroot',
  '/tmp',
  '/usr',
  '/var/backups',
  '/var/lib/apt',
  '/var/lib/containerd',
  '/var/lib/containers',
  '/var/lib/docker',
  '/var/lib/dpkg',
  '/var/lib/incus',
  '/var/lib/kubelet',
  '/var/lib/libvirt',
  '/var/lib/lxd',
  '/var/lib/machines',
  '/var/lib/rancher',
  '/var/lib/rpm',
  '/var/lib/snapd',
  '/var/lib/sss',
  '/var/lib/systemd',
  '/var/log',
  '/var/mail',
  '/var/roothome',
  '/var/run',
  '/var/snap',
  '/var/spool',
  '/var/tmp',
  '/home',
  '/var/home',
];

/**
 * Names that hold credentials or another program's state wherever they are (in a home, or a
 * home copied under /srv): keys, cloud and Pulumi tokens, Git and netrc passwords, a rootless
 * Docker's data (~/.local/share/docker).
 */
export const CREDENTIAL_NAMES: readonly string[] = [
  '.aws',
  '.azure',
  '.config',
  '.docker',
  '.git-credentials',
  '.gnupg',
  '.kube',
  '.local',
  '.netrc',
  '.password-store',
  '.pgpass',
  '.pulumi',
  '.ssh',
];

/** Folders that hold homes: a whole home is refused, a folder inside one is not. */
const HOME_ROOTS = ['/home', '/var/home'];

/** Parents of system locations are refused too, but a few are legitimate homes of data below them. */
const ALLOWED_UNDER = [
  '/home/',
  '/var/home/',
  '/srv/',
  '/mnt/',
  '/media/',
  '/data/',
  '/var/lib/windock/',
  '/opt/',
];

export type HostPathVerdict = { ok: true; path: string } | { ok: false; reason: string };

/** "/srv//a/" is "/srv/a", "/srv/../etc" is "/etc" (text only: links are resolved on the host). */
export function normalizeHostPath(raw: string): string {
  return posix.normalize(raw).replace(/\/+$/, '') || '/';
}

function syntaxError(raw: string, field: string): string | undefined {
  if (typeof raw !== 'string' || raw.length === 0) return `${field}: give an absolute path on the host`;
  if (raw.includes('\0')) return `${field}: a path cannot contain a NUL byte`;
  if (!raw.startsWith('/')) return `${field}: "${raw}" is not absolute: give an absolute path on the host`;
  if (/[,:]/.test(raw))
    return `${field}: "${raw}" contains "," or ":", which Docker's mount syntax cannot carry`;
  return undefined;
}

function homeReason(path: string, raw: string, field: string): string | undefined {
  for (const root of HOME_ROOTS) {
    if (path === root || new RegExp(`^${root}/[^/]+$`).test(path))
      return `${field}: "${raw}" is a whole home directory: share a folder inside it`;
  }
  return undefined;
}

function deniedReason(path: string, raw: string, field: string): string | undefined {
  const credential = path.split('/').find((part) => CREDENTIAL_NAMES.includes(part));
  if (credential)
    return `${field}: "${raw}" is inside ${credential}, which holds credentials: share another folder`;
  const home = homeReason(path, raw, field);
  if (home) return home;
  for (const denied of DENIED_HOST_PATHS) {
    if (HOME_ROOTS.includes(denied)) continue;
    const inside = path === denied || (denied !== '/' && path.startsWith(denied + '/'));
    if (inside)
      return `${field}: "${raw}" is ${path === denied ? '' : 'inside '}the host's system location ${denied}: share a folder of your own (for example under /srv or /var/lib/windock)`;
  }
  const isParentOfDenied = DENIED_HOST_PATHS.some((d) => d !== '/' && d.startsWith(path + '/'));
  if (isParentOfDenied && !ALLOWED_UNDER.some((a) => (path + '/').startsWith(a)))
    return `${field}: "${raw}" contains system locations of the host: share a folder below it`;
  return undefined;
}

/**
 * Checks one host path's text against the denylist. Pure: the path is normalized lexically
 * ("/srv/../etc" is "/etc"); symbolic links and mounts on the host are not seen here, so the
 * provider checks the path again once resolved on the host (resolve-on-host.ts).
 */
export function checkHostPath(raw: string, field = 'path'): HostPathVerdict {
  const malformed = syntaxError(raw, field);
  if (malformed) return { ok: false, reason: malformed };
  const path = normalizeHostPath(raw);
  const reason = deniedReason(path, raw, field);
  return reason ? { ok: false, reason } : { ok: true, path };
}
