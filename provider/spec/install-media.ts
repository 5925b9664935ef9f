import { z } from 'zod';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase SHA-256 hex digest');

/**
 * Where installation media comes from. Downloads land in the host's media cache (one volume
 * per host, shared by every VM on it), keyed by `cacheKey` and checked against `sha256`
 * where it is known.
 */
export const mediaSource = z.discriminatedUnion('kind', [
  /** Microsoft's download API for consumer Windows (session, SKU by language, link). */
  z.strictObject({
    kind: z.literal('microsoft'),
    product: z.enum(['windows-11', 'windows-10']),
    language: z.string().min(2).max(64),
    endpoint: z.url(),
  }),
  /** The Evaluation Center (Server and Enterprise evaluation editions). */
  z.strictObject({
    kind: z.literal('evaluation'),
    product: z.string().regex(/^[a-z0-9-]+$/),
    language: z.string().min(2).max(64),
    endpoint: z.url(),
  }),
  /** A direct URL (a pinned catalogue entry resolves to this, with its size and checksum). */
  z.strictObject({ kind: z.literal('url'), url: z.url(), sizeBytes: z.number().int().positive().optional() }),
  /** A file already on the host, mounted read-only into the container. */
  z.strictObject({ kind: z.literal('host-file'), path: z.string().startsWith('/media/host/') }),
]);

export const installMediaSpec = z.strictObject({
  source: mediaSource,
  /** Cache file name: version, edition and language (e.g. "windows-11-pro-en-us"). */
  cacheKey: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,127}$/),
  sha256: sha256.optional(),
});

export type MediaSource = z.infer<typeof mediaSource>;
export type InstallMediaSpec = z.infer<typeof installMediaSpec>;
