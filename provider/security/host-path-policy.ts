import { isAllowedHostPath } from './allowed-host-paths';
import { checkHostPath } from './host-paths';
import type { ResolvedHostPath } from '../../lib/host-paths/resolved-host-path';

/** One host path a VM asks for, and what it must be. */
export interface HostPathUse {
  /** The input field, e.g. "shares.0.hostPath". */
  field: string;
  /** Prefix of messages, e.g. 'share "Data": '. */
  what?: string;
  path: string;
  want: 'directory' | 'file';
}

const MISSING: Record<string, string> = {
  missing: 'does not exist',
  'not-a-directory': 'passes through a file as if it were a folder',
  loop: 'has too many levels of symbolic links',
};

/**
 * Judges a host path once resolved on its host: it exists and is of the right type; neither the
 * resolved path nor where a bind mount took it from is a system location (the denylist); it lies
 * inside the host's allow list. Undefined when it may be used, else the reason, naming the field,
 * the host and the fix. Pure.
 */
export function judgeHostPath(
  use: HostPathUse,
  found: ResolvedHostPath,
  host: { name: string; allow: readonly string[] },
): string | undefined {
  const head = `${use.field}: ${use.what ?? ''}${use.path}`;
  if (!found.ok)
    return `${head} ${MISSING[found.error]} on host "${host.name}" (at ${found.path}): create the ${use.want === 'directory' ? 'folder' : 'file'} or fix the path`;
  const resolved = found.path === use.path ? '' : ` (on host "${host.name}" it resolves to ${found.path})`;
  for (const where of [found.path, found.mountSource].filter((p): p is string => p !== undefined)) {
    const verdict = checkHostPath(where, use.field);
    if (verdict.ok) continue;
    const why = verdict.reason.slice(`${use.field}: `.length);
    const via = where !== found.path ? ` (a bind mount of ${where} on host "${host.name}")` : resolved;
    return `${head}${via}: ${why}`;
  }
  if (found.type !== use.want)
    return `${head}${resolved} is not a ${use.want === 'directory' ? 'folder' : 'file'} on host "${host.name}": fix the path`;
  if (!isAllowedHostPath(found.path, host.allow))
    return (
      `${head}${resolved} is outside the folders host "${host.name}" lets VMs use (${host.allow.join(', ')}): ` +
      `add it or a parent to allowedHostPaths of host "${host.name}" in windock:hosts, or move it under one of them`
    );
  return undefined;
}
