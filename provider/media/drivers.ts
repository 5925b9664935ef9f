// From a WindowsVm's drivers input to the install's drivers media. Pure.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { CONTAINER_PATHS, type InstallMediaSpec } from '../../contract';
import { VIRTIO_WIN } from './catalogue';
import type { DriversInput } from '../resources/windows-vm/media-input';

/** Where a drivers ISO on the Docker host appears in the container (read-only). */
export const HOST_DRIVERS_ISO_PATH = `${CONTAINER_PATHS.hostMedia}/drivers.iso`;

/** What an install gets when the VM names no drivers. */
export const DEFAULT_DRIVERS: DriversInput = { kind: 'virtio-win', release: 'pinned' };

export interface ResolvedDrivers {
  /** Undefined for kind "none". */
  drivers?: InstallMediaSpec;
  /** A drivers ISO on the Docker host to mount read-only at HOST_DRIVERS_ISO_PATH. */
  hostFile?: string;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

/** The drivers media of an install; `input` undefined means the catalogue's virtio-win ISO. */
export function resolveInstallDrivers(input: DriversInput | undefined): ResolvedDrivers {
  const drivers = input ?? DEFAULT_DRIVERS;
  switch (drivers.kind) {
    case 'none':
      return {};
    case 'virtio-win': {
      if (drivers.release === 'stable')
        return {
          drivers: { source: { kind: 'url', url: VIRTIO_WIN.stable.url }, cacheKey: 'virtio-win-stable' },
        };
      const pinned = VIRTIO_WIN.pinned;
      return {
        drivers: {
          source: { kind: 'url', url: pinned.url, sizeBytes: pinned.sizeBytes },
          cacheKey: `virtio-win-${pinned.version}`,
          sha256: pinned.sha256,
        },
      };
    }
    case 'url':
      return {
        drivers: {
          source: { kind: 'url', url: drivers.url },
          // One cache file per URL (and digest): never the query string in clear.
          cacheKey: `drivers-url-${digest(drivers.url + (drivers.sha256 ?? ''))}`,
          ...(drivers.sha256 ? { sha256: drivers.sha256 } : {}),
        },
      };
    case 'iso': {
      const hostFile = posix.normalize(drivers.hostPath);
      return {
        drivers: {
          source: { kind: 'host-file', path: HOST_DRIVERS_ISO_PATH },
          cacheKey: `drivers-host-${digest(hostFile)}`,
          ...(drivers.sha256 ? { sha256: drivers.sha256 } : {}),
        },
        hostFile,
      };
    }
  }
}
