import { z } from 'zod';
import { CONTAINER_PATHS } from './layout';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase SHA-256 hex digest');

/**
 * Where installation media comes from. Downloads land in the host's media cache (one volume
 * per host, shared by every VM on it), keyed by `cacheKey` and checked against `sha256`
 * where it is known.
 */
export const mediaSource = z.discriminatedUnion('kind', [
  /**
   * Microsoft's download API for consumer Windows: the download page (its product edition id),
   * a session permitted at `sessionEndpoint`, the SKU list by language, then the ISO link.
   * `endpoint` is www.microsoft.com's origin; both are overridable (mirrors, protocol replays).
   */
  z.strictObject({
    kind: z.literal('microsoft'),
    product: z.enum(['windows-11', 'windows-10']),
    /** The SKU list's `Language` value ("English", "English International", "German"...). */
    language: z.string().min(2).max(64),
    endpoint: z.url(),
    sessionEndpoint: z.url(),
    /**
     * The session's ov-df check (v4: mdt.js, then its w/rticks reply, as dockur's src/mido.sh
     * does). Absent: ov-df.microsoft.com (a v3 image skipped the step, which Microsoft refuses).
     */
    ovEndpoint: z.url().optional(),
  }),
  /** The Evaluation Center (Server and Enterprise evaluation editions). */
  z.strictObject({
    kind: z.literal('evaluation'),
    /** The page slug: <endpoint>/en-us/evalcenter/download-<product>. */
    product: z.string().regex(/^[a-z0-9-]+$/),
    /** A culture like "en-us": the page's links carry it (culture=en-us&country=us). */
    language: z.string().regex(/^[a-z]{2}(-[a-z0-9]{2,4}){0,2}$/),
    /** Which of the page's links for that culture (Enterprise pages list ISO and VHD, x64 and LTSC). */
    linkIndex: z.number().int().min(0).max(15),
    endpoint: z.url(),
  }),
  /** A direct URL (a pinned catalogue entry resolves to this, with its size and checksum). */
  z.strictObject({
    kind: z.literal('url'),
    url: z.url(),
    sizeBytes: z.number().int().positive().optional(),
    /** The digest this URL's file must have (v4: a pin that has fallbacks; else `sha256` below). */
    sha256: sha256.optional(),
  }),
  /** A file already on the host, mounted read-only into the container. */
  z.strictObject({
    kind: z.literal('host-file'),
    path: z.string().startsWith(`${CONTAINER_PATHS.hostMedia}/`),
  }),
]);

const fallbackSource = z.discriminatedUnion('kind', [
  mediaSource.options[0],
  mediaSource.options[1],
  mediaSource.options[2],
]);

export const installMediaSpec = z.strictObject({
  source: mediaSource,
  /** Cache file name: version, edition and language (e.g. "windows-11-pro-en-us"). */
  cacheKey: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,127}$/),
  sha256: sha256.optional(),
  /**
   * Tried in order when `source` (or the fallback before) answers HTTP 404/410: a stale pin falls
   * back to the live route (v4, source "auto"). The file keeps `cacheKey`; `sha256` is then absent
   * (each pinned source carries its own) and the digest computed at download is recorded.
   */
  fallbacks: z.array(fallbackSource).min(1).max(3).optional(),
});

export type MediaSource = z.infer<typeof mediaSource>;
export type InstallMediaSpec = z.infer<typeof installMediaSpec>;

/** Where the media lies inside the container once fetched: in the cache, or the host file itself. */
export function mediaFilePath(media: InstallMediaSpec): string {
  return media.source.kind === 'host-file'
    ? media.source.path
    : `${CONTAINER_PATHS.mediaCache}/${media.cacheKey}.iso`;
}

/** A short, secret-free description of a media source for messages and the volume record. */
export function describeMediaSource(source: MediaSource): string {
  switch (source.kind) {
    case 'microsoft':
      return `Microsoft download ${source.product} (${source.language})`;
    case 'evaluation':
      return `Evaluation Center ${source.product} (${source.language})`;
    case 'url': {
      const url = new URL(source.url);
      return `URL ${url.origin}${url.pathname}`;
    }
    case 'host-file':
      return `host file ${source.path}`;
  }
}

/** Where the provider puts the fetch step's request in its container (a file, not arguments). */
export const FETCH_REQUEST_PATH = '/etc/windock/fetch-request.json';

/**
 * The fetch step's request: the only writer of the host's media cache is a short-lived container
 * the provider runs before the VM's container starts (`supervisor.js fetch-media`). `download`
 * false only looks up (and hashes) what the cache holds: a restart never downloads.
 */
export const fetchRequest = z.strictObject({
  vmName: z.string().min(1).max(128),
  media: z.array(installMediaSpec).min(1).max(4),
  download: z.boolean(),
});
export type FetchRequest = z.infer<typeof fetchRequest>;

/** The fetch step's stdout lines for the provider start with this, then one JSON object. */
export const FETCH_LINE_PREFIX = '@windock-fetch ';

/** One fetch step line: a progress report, a log line, the digests, or the failure. */
export type FetchLine =
  | {
      progress: {
        mediaKey: string;
        bytes: number;
        totalBytes?: number;
        source: string;
        waitingFor?: string;
      };
    }
  | { log: string }
  | { done: Array<{ cacheKey: string; sha256?: string; hit: boolean }> }
  | { error: { message: string; step: string } };
