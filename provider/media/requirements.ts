// Preview-time checks of install media against the VM: the version's minimum RAM and disk, the
// edition, the source, and a host ISO path that is not a system location. Pure.
import { checkHostPath } from '../security/host-paths';
import { isInstallMedia, type DriversInput, type MediaInput } from '../resources/windows-vm/media-input';
import { catalogueEntry } from './catalogue';
import { MediaResolveError, resolveInstallMedia } from './resolve';

export interface MediaIssue {
  /** The input field, e.g. ["memory"] or ["media", "edition"]. */
  path: string[];
  message: string;
}

const gib = (mib: number) => `${(mib / 1024).toFixed(mib % 1024 === 0 ? 0 : 1)}GiB`;

export function mediaRequirementIssues(vm: {
  media?: MediaInput;
  drivers?: DriversInput;
  memory: number;
  systemDiskSize: number;
}): MediaIssue[] {
  const media = vm.media;
  if (!isInstallMedia(media)) {
    if (vm.drivers && vm.drivers.kind !== 'none')
      return [
        {
          path: ['drivers'],
          message:
            'drivers: the drivers ISO is attached to a fresh Windows install: give media of kind "windows", "url" or "iso", or remove drivers',
        },
      ];
    return [];
  }
  const issues: MediaIssue[] = [];
  if (vm.drivers?.kind === 'iso') {
    const verdict = checkHostPath(vm.drivers.hostPath, 'drivers.hostPath');
    if (!verdict.ok) issues.push({ path: ['drivers', 'hostPath'], message: verdict.reason });
  }
  try {
    resolveInstallMedia(media);
  } catch (error) {
    if (!(error instanceof MediaResolveError)) throw error;
    issues.push({ path: error.field.split('.'), message: error.message });
  }
  if (media.kind === 'iso') {
    const verdict = checkHostPath(media.hostPath, 'media.hostPath');
    if (!verdict.ok) issues.push({ path: ['media', 'hostPath'], message: verdict.reason });
  }
  const entry = catalogueEntry(media.version);
  if (vm.memory < entry.minMemoryMiB)
    issues.push({
      path: ['memory'],
      message: `memory: ${entry.title} needs at least ${gib(entry.minMemoryMiB)} of RAM, ${gib(vm.memory)} asked: raise memory to "${gib(entry.minMemoryMiB)}" or more`,
    });
  if (vm.systemDiskSize < entry.minDiskMiB)
    issues.push({
      path: ['systemDiskSize'],
      message: `systemDiskSize: ${entry.title} needs a system disk of at least ${entry.minDiskMiB} MiB (${Math.round((entry.minDiskMiB * 1024 ** 2) / 1e9)} GB), ${vm.systemDiskSize} MiB asked: raise systemDiskSize to "${Math.ceil(entry.minDiskMiB / 1024)}GiB" or more`,
    });
  return issues;
}
