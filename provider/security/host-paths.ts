import { posix } from 'node:path';

/**
 * System locations of a Docker host that a VM must never get as a host path (a shared
 * folder, a ROM file, a passed-through file): the host's configuration and credentials,
 * kernel and device interfaces, the container engine's state and socket, boot files.
 * A path inside one of these, or a parent of one (mounting "/" exposes all of them), is refused.
 */
export const DENIED_HOST_PATHS: readonly string[] = [
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/sys',
  '/usr',
  '/var/run',
  '/var/lib/docker',
  '/var/lib/containerd',
  '/var/lib/kubelet',
  '/var/log',
  '/home',
];

/** Parents of system locations are refused too, but a few are legitimate homes of data below them. */
const ALLOWED_UNDER = ['/home/', '/srv/', '/mnt/', '/media/', '/data/', '/var/lib/windock/', '/opt/'];

export type HostPathVerdict = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Checks one host path against the denylist. Pure: the path is normalized lexically
 * ("/srv/../etc" is "/etc"); symbolic links on the host are not followed here, so the host
 * side must still open the path without following links out of it.
 */
export function checkHostPath(raw: string, field = 'path'): HostPathVerdict {
  if (typeof raw !== 'string' || raw.length === 0)
    return { ok: false, reason: `${field}: give an absolute path on the host` };
  if (raw.includes('\0')) return { ok: false, reason: `${field}: a path cannot contain a NUL byte` };
  if (!raw.startsWith('/'))
    return { ok: false, reason: `${field}: "${raw}" is not absolute: give an absolute path on the host` };
  if (/[,:]/.test(raw))
    return {
      ok: false,
      reason: `${field}: "${raw}" contains "," or ":", which Docker's mount syntax cannot carry`,
    };
  const path = posix.normalize(raw).replace(/\/+$/, '') || '/';
  const homeUser = /^\/home\/[^/]+$/.test(path); // a whole home directory holds its owner's keys
  for (const denied of DENIED_HOST_PATHS) {
    const inside = path === denied || (denied !== '/' && path.startsWith(denied + '/'));
    if (denied === '/home') {
      if (homeUser || path === '/home')
        return {
          ok: false,
          reason: `${field}: "${raw}" is a whole home directory: share a folder inside it`,
        };
      if (/^\/home\/[^/]+\/\.(ssh|gnupg|docker|kube|aws|config)(\/|$)/.test(path))
        return { ok: false, reason: `${field}: "${raw}" holds credentials: share another folder` };
      continue;
    }
    if (inside)
      return {
        ok: false,
        reason: `${field}: "${raw}" is ${path === denied ? '' : 'inside '}the host's system location ${denied}: share a folder of your own (for example under /srv or /var/lib/windock)`,
      };
  }
  const isParentOfDenied = DENIED_HOST_PATHS.some((d) => d !== '/' && d.startsWith(path + '/'));
  if (isParentOfDenied && !ALLOWED_UNDER.some((a) => (path + '/').startsWith(a)))
    return {
      ok: false,
      reason: `${field}: "${raw}" contains system locations of the host: share a folder below it`,
    };
  return { ok: true, path };
}
