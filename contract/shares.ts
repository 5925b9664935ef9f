import { z } from 'zod';

/** Where the shares live in the container: one folder per share, /shares/NAME. */
export const SHARES_ROOT = '/shares';
/** The secret file (under the secrets folder) that holds the share user's password. */
export const SHARE_PASSWORD_SECRET = 'share-password';
/** The share user when the VM names none. */
export const DEFAULT_SHARE_USER = 'windock';

/**
 * Accounts of the image's Debian system (and its packages): a share user may not take one
 * of their names, or Samba would serve the guest as that account.
 */
export const RESERVED_SHARE_USERS: readonly string[] = [
  'root',
  'daemon',
  'bin',
  'sys',
  'sync',
  'games',
  'man',
  'lp',
  'mail',
  'news',
  'uucp',
  'proxy',
  'www-data',
  'backup',
  'list',
  'irc',
  'gnats',
  'nobody',
  'messagebus',
  'systemd-network',
  'systemd-resolve',
  'systemd-timesync',
  'swtpm',
  'tss',
  'dnsmasq',
  'libvirt-qemu',
  'nogroup',
];

/** An SMB share name as the guest types it (\\host.lan\Data); Windows compares it without case. */
export const shareName = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,31}$/,
    'a share name is letters, digits, "_" and "-" (max 32), starting with a letter',
  )
  .refine(
    (name) => !['global', 'homes', 'printers', 'ipc$'].includes(name.toLowerCase()),
    '"global", "homes" and "printers" are Samba\'s own sections: choose another share name',
  );

export const shareUser = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,19}$/, 'a user name is lowercase letters, digits, "_" and "-" (max 20)')
  .refine((user) => !RESERVED_SHARE_USERS.includes(user), 'this name belongs to a system account');

/** The folder in the container that holds share NAME (the provider mounts its source there). */
export function sharePath(name: string): string {
  return `${SHARES_ROOT}/${name}`;
}

/**
 * Which host folder /shares/NAME must be, as the provider resolved it on the host when it made
 * the container: the image compares the folder's st_dev and st_ino at every start and refuses
 * to start when they differ (a symbolic link or mount swapped in on the host since). A Docker
 * volume is the engine's own; "unchecked" is what a v2 spec (and a test's hand-made spec) had.
 */
export const shareHostIdentity = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('directory'),
    /** The folder on the host, every link resolved (what Docker mounts). */
    hostPath: z.string().regex(/^\//),
    /** st_dev and st_ino as decimal strings (an inode number may pass 2^53). */
    dev: z.string().regex(/^\d+$/),
    ino: z.string().regex(/^\d+$/),
  }),
  z.strictObject({ kind: z.literal('volume') }),
  z.strictObject({ kind: z.literal('unchecked') }),
]);

/**
 * Folders shared with the guest over SMB (\\host.lan\NAME; \\10.0.2.2\NAME on a user-mode
 * NIC), served by Samba inside the container from the folders the provider mounted under
 * /shares. SMB2 and later only; no printers, no home shares. Credentials are a secret file;
 * a guest-open share must be asked for explicitly.
 */
export const shareSpec = z.strictObject({
  /** The share name the guest sees (\\host.lan\Data). */
  name: shareName,
  /** The folder inside the container (the provider mounts the host path or a volume there). */
  path: z.string().regex(/^\/shares\/[A-Za-z0-9_-]+$/, 'a folder /shares/NAME'),
  /** The guest cannot write (Samba refuses it, and the provider mounts the folder read-only). */
  readOnly: z.boolean(),
  hostIdentity: shareHostIdentity,
});

export const shareAuthSpec = z.discriminatedUnion('kind', [
  /** A user and the name of its password file under the secrets folder. */
  z.strictObject({
    kind: z.literal('user'),
    user: shareUser,
    secret: z.string().regex(/^[a-z0-9-]{1,64}$/),
  }),
  /** Anyone who reaches the share may use it, without a password: only when asked for. */
  z.strictObject({ kind: z.literal('guest') }),
]);

export const sharesSpec = z
  .strictObject({
    shares: z.array(shareSpec).min(1).max(16),
    auth: shareAuthSpec,
  })
  .superRefine((shares, ctx) => {
    const names = new Set<string>();
    const paths = new Set<string>();
    shares.shares.forEach((share, i) => {
      if (names.has(share.name.toLowerCase()))
        ctx.addIssue({
          code: 'custom',
          path: ['shares', i, 'name'],
          message: `duplicate share "${share.name}" (share names ignore case)`,
        });
      if (paths.has(share.path))
        ctx.addIssue({
          code: 'custom',
          path: ['shares', i, 'path'],
          message: `duplicate path ${share.path}`,
        });
      names.add(share.name.toLowerCase());
      paths.add(share.path);
    });
  });

export type ShareSpec = z.infer<typeof shareSpec>;
export type ShareHostIdentity = z.infer<typeof shareHostIdentity>;
export type ShareAuthSpec = z.infer<typeof shareAuthSpec>;
export type SharesSpec = z.infer<typeof sharesSpec>;
