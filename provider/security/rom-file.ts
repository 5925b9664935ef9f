import type { HostConfig } from '../hosts';
import { allowedHostPathsOf } from './allowed-host-paths';
import { judgeHostPath } from './host-path-policy';
import { resolveOnHost, type HostPathAccess } from './resolve-on-host';

/** A GpuAssignment's romFile, resolved on its host: the refusal (field, host, fix), or undefined. */
export async function romFileRefusal(
  access: HostPathAccess,
  host: HostConfig,
  romFile: string,
): Promise<string | undefined> {
  const [found] = await resolveOnHost(access, [romFile]);
  return judgeHostPath({ field: 'romFile', path: romFile, want: 'file' }, found!, {
    name: host.name,
    allow: allowedHostPathsOf(host),
  });
}

/** The romFile as resolved on its host, for the mount (what was checked is what gets mounted); throws the refusal. */
export async function resolvedRomFile(
  access: HostPathAccess,
  host: HostConfig,
  romFile: string,
): Promise<string> {
  const [found] = await resolveOnHost(access, [romFile]);
  const refusal = judgeHostPath({ field: 'romFile', path: romFile, want: 'file' }, found!, {
    name: host.name,
    allow: allowedHostPathsOf(host),
  });
  if (refusal || !found!.ok) throw new Error(refusal);
  return found!.path;
}
