import { z } from 'zod';

export const consoleSpec = z.strictObject({
  enabled: z.boolean(),
  /** Port of the console's web server inside the container. */
  port: z.number().int().min(1).max(65535),
  viewOnly: z.boolean(),
  /** token: a secret file the browser must present; none must be asked for explicitly. */
  auth: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('token'), secret: z.string().regex(/^[a-z0-9-]+$/) }),
    z.strictObject({ kind: z.literal('none') }),
  ]),
});

export type ConsoleSpec = z.infer<typeof consoleSpec>;
