import { z } from 'zod';
import type { ShareMount } from '../../shares/container';
import { checkHostPath } from '../../security/host-paths';
import {
  DEFAULT_SHARE_USER,
  SHARE_PASSWORD_SECRET,
  shareName,
  sharePath,
  shareUser,
  type SharesSpec,
} from '../../../contract';

/** A Docker volume name (what `docker volume create` accepts). */
const volumeName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{1,254}$/, 'a Docker volume name (letters, digits, "_", "." and "-")')
  .refine(
    (name) => !name.startsWith('windock-'),
    "volumes named windock-* hold VMs' disks: share a volume of your own",
  );

/** One shared folder, as the user declares it. */
export const shareInput = z
  .strictObject({
    name: shareName.describe('The SMB share name the guest sees: \\\\host.lan\\NAME.'),
    hostPath: z.string().optional().describe('A folder on the Docker host (system locations are refused).'),
    volume: volumeName.optional().describe("A Docker volume on the VM's host."),
    readOnly: z.boolean().default(false).describe('The guest can read but not write.'),
  })
  .superRefine((share, ctx) => {
    if (Boolean(share.hostPath) === Boolean(share.volume)) {
      ctx.addIssue({
        code: 'custom',
        path: ['hostPath'],
        message: `share "${share.name}": give exactly one of hostPath (a folder on the Docker host) or volume (a Docker volume)`,
      });
      return;
    }
    if (share.hostPath !== undefined) {
      const verdict = checkHostPath(share.hostPath, 'hostPath');
      if (!verdict.ok)
        ctx.addIssue({
          code: 'custom',
          path: ['hostPath'],
          message: `share "${share.name}": ${verdict.reason.replace(/^hostPath: /, '')}`,
        });
    }
  });

export const sharesInput = z
  .array(shareInput)
  .max(16, 'at most 16 shares')
  .default([])
  .superRefine((shares, ctx) => {
    const seen = new Set<string>();
    shares.forEach((share, i) => {
      const key = share.name.toLowerCase();
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: `duplicate share "${share.name}": share names must be unique (Windows ignores their case)`,
        });
      seen.add(key);
    });
  })
  .describe(
    'Folders of the Docker host or Docker volumes shared with the guest over SMB (\\\\host.lan\\NAME; \\\\10.0.2.2\\NAME on user networking), read-only on request. Adding, removing or changing one: restart tier.',
  );

export const shareAuthInput = z
  .strictObject({
    mode: z
      .enum(['password', 'guest'])
      .default('password')
      .describe(
        '"password" (default): a user with a generated password (the sharePassword output); "guest": no password at all.',
      ),
    user: shareUser.default(DEFAULT_SHARE_USER).describe('The share user (default "windock").'),
  })
  .default({ mode: 'password', user: DEFAULT_SHARE_USER })
  .describe(
    'How the guest signs in to the shares: a user with a generated password (secret output sharePassword) unless "guest" is asked for explicitly (Windows 10/11 refuse guest logons unless the "insecure guest logons" policy allows them). Restart tier.',
  );

export type ShareInput = z.output<typeof shareInput>;

interface VmShares {
  shares: ShareInput[];
  shareAuth: z.output<typeof shareAuthInput>;
}

/** The spec's shares section for these inputs (none without shares). Pure. */
export function sharesToSpec(vm: VmShares): SharesSpec | undefined {
  if (vm.shares.length === 0) return undefined;
  return {
    shares: vm.shares.map((share) => ({
      name: share.name,
      path: sharePath(share.name),
      readOnly: share.readOnly,
      // The host folder's identity comes from the host (withShareIdentities, at create and restart).
      hostIdentity: share.volume !== undefined ? { kind: 'volume' as const } : { kind: 'unchecked' as const },
    })),
    auth:
      vm.shareAuth.mode === 'guest'
        ? { kind: 'guest' }
        : { kind: 'user', user: vm.shareAuth.user, secret: SHARE_PASSWORD_SECRET },
  };
}

/** A host path as Docker gets it: "/srv/data/" and "/srv//data" are "/srv/data" (checked at preview). */
function normalizedHostPath(path: string): string {
  const verdict = checkHostPath(path);
  return verdict.ok ? verdict.path : path;
}

/** What the container mounts for the shares: each source at /shares/NAME, read-only if the share is. Pure. */
export function shareMounts(vm: VmShares): ShareMount[] {
  return vm.shares.map((share) => ({
    ...(share.hostPath !== undefined
      ? { kind: 'bind' as const, source: normalizedHostPath(share.hostPath) }
      : { kind: 'volume' as const, source: share.volume! }),
    target: sharePath(share.name),
    readOnly: share.readOnly,
  }));
}

/** Whether the VM needs a share password (shares exist and are not guest-open). */
export function needsSharePassword(vm: VmShares): boolean {
  return vm.shares.length > 0 && vm.shareAuth.mode === 'password';
}
