// `windock-supervisor resolve-host-paths PATH...`, run by the provider in a short-lived helper
// container with the Docker host's "/" bound read-only at /host: resolves each path on the host
// itself and prints what it found as JSON (provider/security/resolve-on-host.ts reads it).
import { lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { bindMountSource, parseMountinfo } from '../../../lib/host-paths/mountinfo';
import { resolveBelowRoot } from '../../../lib/host-paths/resolve-walk';
import type { ResolvedHostPath } from '../../../lib/host-paths/resolved-host-path';

export const HOST_ROOT = '/host';

export function resolveHostPath(requested: string, mountinfo: string): ResolvedHostPath {
  const walked = resolveBelowRoot(HOST_ROOT, requested, { lstat: lstatSync, readlink: readlinkSync });
  if (!walked.ok) return { requested, ...walked };
  // The walk left no link in the path, so this stat is of the folder itself.
  const stat = statSync(HOST_ROOT + walked.path, { bigint: true });
  const mountSource = bindMountSource(parseMountinfo(mountinfo), HOST_ROOT, walked.path);
  return {
    requested,
    ok: true,
    path: walked.path,
    type: stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : 'other',
    dev: stat.dev.toString(),
    ino: stat.ino.toString(),
    ...(mountSource !== undefined ? { mountSource } : {}),
  };
}

export function resolveHostPathsCommand(paths: string[]): number {
  const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
  process.stdout.write(JSON.stringify(paths.map((path) => resolveHostPath(path, mountinfo))) + '\n');
  return 0;
}
