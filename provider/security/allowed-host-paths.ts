import { z } from 'zod';

/**
 * Where a VM may get host paths when a host's configuration names none (Docker Desktop's
 * design: only sensible locations are shared). "*" is one path component that does not start
 * with "." — "/home/*\/*" is any folder inside a home except dot-folders (keys, tokens, other
 * programs' state). A host's `allowedHostPaths` in windock:hosts replaces this list; the
 * denylist (host-paths.ts) still refuses system locations below any entry.
 */
export const DEFAULT_ALLOWED_HOST_PATHS: readonly string[] = [
  '/srv',
  '/mnt',
  '/media',
  '/data',
  '/var/lib/windock',
  '/opt/windock',
  '/home/*/*',
  '/var/home/*/*',
];

const parts = (path: string) => path.split('/').filter(Boolean);

/** Whether `path` (absolute, normalized, resolved on the host) is an entry of `allow` or inside one. */
export function isAllowedHostPath(path: string, allow: readonly string[]): boolean {
  const have = parts(path);
  return allow.some((entry) => {
    const want = parts(entry);
    return (
      want.length <= have.length &&
      want.every((part, i) => (part === '*' ? !have[i]!.startsWith('.') : part === have[i]))
    );
  });
}

/** One entry of a host's allowedHostPaths: an absolute, normalized folder, "*" only as a whole component. */
export const allowedHostPathEntry = z
  .string({ error: 'allowedHostPaths entries are absolute folders, e.g. "/srv/vms"' })
  .regex(/^(\/[^/\0,:]+)+$|^\/$/, {
    error:
      'allowedHostPaths entries are absolute folders without a trailing "/", "," or ":", e.g. "/srv/vms"',
  })
  .refine((entry) => parts(entry).every((part) => part !== '.' && part !== '..'), {
    error: 'allowedHostPaths entries may not contain "." or ".." components',
  })
  .refine((entry) => parts(entry).every((part) => part === '*' || !part.includes('*')), {
    error: 'in allowedHostPaths, "*" stands for a whole path component ("/home/*/vms")',
  });

export const allowedHostPathsField = z
  .array(allowedHostPathEntry, { error: 'allowedHostPaths must be a list of absolute folders' })
  .max(64, { error: 'allowedHostPaths takes at most 64 entries' })
  .optional();

/** The allow list of a host: its own, or the default. */
export function allowedHostPathsOf(host: { allowedHostPaths?: readonly string[] }): readonly string[] {
  return host.allowedHostPaths ?? DEFAULT_ALLOWED_HOST_PATHS;
}
