import { z } from 'zod';

const secretName = z.string().regex(/^[a-z0-9-]+$/);

/**
 * HTTPS for the console. provided: the user's certificate and key, delivered as secret files
 * like the token. generated: a self-signed certificate the VM makes at its first start and
 * keeps in its storage volume (stable across restarts). Absent: plain HTTP (what a v2 image did).
 */
export const consoleTlsSpec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('provided'), certificateSecret: secretName, keySecret: secretName }),
  z.strictObject({ kind: z.literal('generated') }),
]);

export const consoleSpec = z.strictObject({
  enabled: z.boolean(),
  /** Port of the console's web server inside the container. */
  port: z.number().int().min(1).max(65535),
  viewOnly: z.boolean(),
  /** token: a secret file the browser must present; none must be asked for explicitly. */
  auth: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('token'), secret: secretName }),
    z.strictObject({ kind: z.literal('none') }),
  ]),
  tls: consoleTlsSpec.optional(),
});

export type ConsoleSpec = z.infer<typeof consoleSpec>;
export type ConsoleTlsSpec = z.infer<typeof consoleTlsSpec>;
