import { realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { CREDENTIAL_NAMES, DENIED_HOST_PATHS } from './host-paths';

/** Locations of the Pulumi machine whose files are fine to read as media (homes; temporary folders for built images). */
const READABLE_HERE = ['/', '/home', '/var/home', '/tmp', '/var/tmp'];

export type LocalFileVerdict = { ok: true; path: string } | { ok: false; reason: string };

const inside = (path: string, folder: string) => path === folder || path.startsWith(folder + '/');

function refusal(real: string): string | undefined {
  const credential = real.split('/').find((part) => CREDENTIAL_NAMES.includes(part));
  if (credential) return `is inside ${credential}, which holds credentials`;
  const home = homedir();
  const dotInHome = home !== '/' && inside(real, home) && real.slice(home.length + 1).startsWith('.');
  if (dotInHome) return `is in a dot-folder of ${home}, which holds programs' state and credentials`;
  const pulumiHome = process.env.PULUMI_HOME;
  if (pulumiHome && inside(real, pulumiHome))
    return `is inside PULUMI_HOME (${pulumiHome}), which holds Pulumi's credentials`;
  if (home !== '/' && inside(real, home)) return undefined; // the user's own files (root's home is /root)
  const denied = DENIED_HOST_PATHS.find((d) => !READABLE_HERE.includes(d) && inside(real, d));
  return denied ? `is inside the system location ${denied}` : undefined;
}

/**
 * A media file on the machine running Pulumi (a kernel, an initrd, a disk image), which the
 * provider reads and copies into the VM's volume, where the guest can read it: resolved with
 * realpath (links followed), a regular file, and neither a system file nor a credential.
 */
export function checkLocalFile(path: string, field: string): LocalFileVerdict {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return { ok: false, reason: `${field}: ${path} does not exist on the machine running Pulumi` };
  }
  const shown = real === path ? path : `${path} (resolves to ${real})`;
  if (!statSync(real).isFile())
    return { ok: false, reason: `${field}: ${shown} is not a regular file on the machine running Pulumi` };
  const why = refusal(real);
  if (why)
    return {
      ok: false,
      reason: `${field}: ${shown} ${why} on the machine running Pulumi: media files are copied into the VM, where the guest reads them; give a file of your own`,
    };
  return { ok: true, path: real };
}
