import { z } from 'zod';

/**
 * Folders shared with the guest over SMB (\\host.lan\NAME), served by Samba inside the
 * container from paths the provider mounted there. Credentials are a secret file; a
 * guest-open share must be asked for explicitly.
 */
export const shareSpec = z.strictObject({
  /** The share name the guest sees (\\host.lan\Data). */
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'letters, digits, "_" and "-" (max 32)'),
  /** The folder inside the container (the provider mounts the host path or a volume there). */
  path: z.string().regex(/^\/shares\/[A-Za-z0-9_-]+$/),
  readOnly: z.boolean(),
});

export const sharesSpec = z.strictObject({
  shares: z.array(shareSpec).max(16),
  auth: z.discriminatedUnion('kind', [
    /** A user and a password file under the secrets folder. */
    z.strictObject({
      kind: z.literal('user'),
      user: z.string().regex(/^[a-z][a-z0-9_-]{0,19}$/),
      secret: z.string(),
    }),
    /** Anyone who reaches the share may use it: only when asked for. */
    z.strictObject({ kind: z.literal('guest') }),
  ]),
});

export type ShareSpec = z.infer<typeof shareSpec>;
export type SharesSpec = z.infer<typeof sharesSpec>;
