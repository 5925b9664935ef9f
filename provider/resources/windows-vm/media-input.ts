import { z } from 'zod';
import { WINDOWS_VERSIONS } from '../../media/catalogue';
import { LANGUAGE_CODES } from '../../media/languages';

const sha256 = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hex digest (64 hex digits)'));
const httpUrl = z.url({ protocol: /^https?$/, error: 'an http(s) URL' });
const version = z.enum(WINDOWS_VERSIONS);
const edition = z.string().regex(/^[a-z0-9-]{1,40}$/, 'an edition like "pro", "standard"');

/**
 * Where a media source's requests go: Microsoft's servers by default. Set them for a mirror
 * of the protocol, or a local replay of it in tests.
 */
export const mediaEndpoints = z.strictObject({
  /** www.microsoft.com's origin: the download page and its API. */
  microsoft: httpUrl.optional(),
  /** The session permit (vlscppe.microsoft.com). */
  microsoftSession: httpUrl.optional(),
  /** The Evaluation Center's origin. */
  evaluation: httpUrl.optional(),
});

/** What the VM is installed or booted from. Install-time: a change replaces the VM. */
export const mediaInput = z.discriminatedUnion('kind', [
  /**
   * A Linux kernel, initrd and disk image booted directly: the stand-in guest where Windows
   * cannot run (tests, an offline quickstart). Paths are files on the machine running Pulumi.
   */
  z.strictObject({
    kind: z.literal('kernel'),
    kernelFile: z.string().min(1),
    initrdFile: z.string().min(1),
    /** Imported once per host into the host's image cache, like a disk-image's file. */
    diskImageFile: z.string().min(1),
    /** Default qcow2. */
    diskImageFormat: z.enum(['qcow2', 'raw', 'vhdx']).optional(),
    cmdline: z.string().max(4096).default('console=ttyS0 quiet'),
  }),
  /**
   * An existing disk image (qcow2, raw or vhdx; any size), imported once per host into the host's
   * image cache (content-addressed, checksummed, resumable); the VM's system disk is a
   * copy-on-write overlay over it. Exactly one of `file` (on the machine running Pulumi), `url`
   * (downloaded by the provider and streamed to the host) or `hostPath` (a file on the Docker
   * host, within its allowedHostPaths).
   */
  z
    .strictObject({
      kind: z.literal('disk-image'),
      file: z.string().min(1).optional(),
      url: httpUrl.optional(),
      hostPath: z.string().min(1).optional(),
      format: z.enum(['qcow2', 'raw', 'vhdx']),
      /** The image's SHA-256: checked before it enters the cache; a cached copy is used without reading the file. */
      sha256: sha256.optional(),
    })
    .refine((m) => [m.file, m.url, m.hostPath].filter((v) => v !== undefined).length === 1, {
      message: 'give exactly one of media.file, media.url or media.hostPath',
      path: ['file'],
    }),
  /**
   * A fresh install of a Windows version from the catalogue, its ISO fetched into the host's
   * media cache: "auto" takes a pinned, checksummed ISO where the catalogue has one for the
   * language, else Microsoft's download (Windows 11/10), else the Evaluation Center.
   */
  z.strictObject({
    kind: z.literal('windows'),
    version,
    /** Default: the version's first edition (pro; standard for Server). */
    edition: edition.optional(),
    language: z.enum(LANGUAGE_CODES).default('en-us'),
    source: z.enum(['auto', 'microsoft', 'evaluation', 'catalogue']).default('auto'),
    endpoints: mediaEndpoints.optional(),
  }),
  /** A fresh install from an ISO at a URL (a mirror you trust), fetched into the host's media cache. */
  z.strictObject({
    kind: z.literal('url'),
    url: httpUrl,
    sha256: sha256.optional(),
    /** Which Windows the ISO holds (its minimums, the answer file). */
    version,
    edition: edition.optional(),
  }),
  /** A fresh install from an ISO already on the Docker host, mounted read-only. */
  z.strictObject({
    kind: z.literal('iso'),
    hostPath: z.string().min(1),
    sha256: sha256.optional(),
    version,
    edition: edition.optional(),
  }),
]);

export type MediaInput = z.infer<typeof mediaInput>;
export type InstallMediaInput = Extract<MediaInput, { kind: 'windows' | 'url' | 'iso' }>;

export function isInstallMedia(media: MediaInput | undefined): media is InstallMediaInput {
  return media?.kind === 'windows' || media?.kind === 'url' || media?.kind === 'iso';
}

/**
 * The virtio drivers ISO attached beside the install media (Windows Setup loads the storage,
 * network and serial drivers from it). Leave it out for the catalogue's virtio-win ISO.
 */
export const driversInput = z.discriminatedUnion('kind', [
  /**
   * The catalogue's virtio-win ISO, fetched into the host's media cache: "pinned" (default) is a
   * fixed release checked against its SHA-256, "stable" Fedora's current stable release.
   */
  z.strictObject({
    kind: z.literal('virtio-win'),
    release: z.enum(['pinned', 'stable']).default('pinned'),
  }),
  /** A drivers ISO at a URL (a mirror you trust), fetched into the host's media cache. */
  z.strictObject({ kind: z.literal('url'), url: httpUrl, sha256: sha256.optional() }),
  /** A drivers ISO already on the Docker host, mounted read-only. */
  z.strictObject({ kind: z.literal('iso'), hostPath: z.string().min(1), sha256: sha256.optional() }),
  /** No drivers CD: the media brings its own drivers (the answer file then names none). */
  z.strictObject({ kind: z.literal('none') }),
]);

export type DriversInput = z.infer<typeof driversInput>;
