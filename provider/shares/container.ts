import type Dockerode from 'dockerode';

/** A share's source on the Docker host, mounted at /shares/NAME. */
export interface ShareMount {
  kind: 'bind' | 'volume';
  /** The host folder (bind) or the Docker volume's name. */
  source: string;
  target: string;
  readOnly: boolean;
}

/**
 * What smbd needs beyond a capability-less root, measured with CapDrop ALL and
 * no-new-privileges (tests/shares): CAP_SETGID, or smbd panics in setgroups() at start;
 * CAP_SETUID, to serve each share as the owner of its folder (without it smbd can only act
 * as root, which may not write into a user's folder without CAP_DAC_OVERRIDE, a broader
 * right). Nothing else: port 445 needs no CAP_NET_BIND_SERVICE (Docker lets containers bind
 * low ports), and the share user is a second name of uid 0, so signing in changes no uid.
 */
export const SHARE_CAPABILITIES = ['SETGID', 'SETUID'] as const;

/**
 * A VM container's options with its shares: each source mounted at /shares/NAME (read-only
 * for a read-only share, so the host folder is safe even from the container), and the two
 * capabilities smbd needs. Pure; the options are unchanged without shares.
 */
export function withShares(
  mounts: ShareMount[],
  options: Dockerode.ContainerCreateOptions,
): Dockerode.ContainerCreateOptions {
  if (mounts.length === 0) return options;
  const host = options.HostConfig ?? {};
  return {
    ...options,
    HostConfig: {
      ...host,
      CapAdd: [...new Set([...(host.CapAdd ?? []), ...SHARE_CAPABILITIES])],
      Mounts: [
        ...(host.Mounts ?? []),
        ...mounts.map((mount) => ({
          Type: mount.kind,
          Source: mount.source,
          Target: mount.target,
          ReadOnly: mount.readOnly,
          ...(mount.kind === 'bind' ? { BindOptions: { Propagation: 'rprivate' as const } } : {}),
        })),
      ],
    },
  };
}
