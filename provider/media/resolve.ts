// From a WindowsVm's install media input to the VM spec's install section. Pure.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { CONTAINER_PATHS, type InstallMediaSpec, type InstallSpec, type MediaSource } from '../../contract';
import {
  catalogueEntry,
  mediaFor,
  type CatalogueEntry,
  type CatalogueMedia,
  type PinnedMedia,
} from './catalogue';
import { LANGUAGES } from './languages';
import type { InstallMediaInput } from '../resources/windows-vm/media-input';

export const DEFAULT_ENDPOINTS = {
  microsoft: 'https://www.microsoft.com',
  microsoftSession: 'https://vlscppe.microsoft.com',
  evaluation: 'https://www.microsoft.com',
} as const;

/** The session's ov-df check; a mirror or replay of the session side (microsoftSession) answers it too. */
export const DEFAULT_OV_ENDPOINT = 'https://ov-df.microsoft.com';

/** The host's media cache volume: one per Docker host, shared by every VM, never removed by a VM. */
export const MEDIA_CACHE_VOLUME = 'windock-media-cache';

/** Where an ISO on the Docker host appears in the container (read-only). */
export const HOST_ISO_PATH = `${CONTAINER_PATHS.hostMedia}/install.iso`;

export interface ResolvedMedia {
  install: Omit<InstallSpec, 'unattend'>;
  /** An ISO on the Docker host to mount read-only at HOST_ISO_PATH. */
  hostFile?: string;
  warnings: string[];
}

export class MediaResolveError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'MediaResolveError';
  }
}

const digest = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

function editionOf(entry: CatalogueEntry, edition: string | undefined): string {
  const chosen = edition ?? entry.editions[0]!;
  if (!entry.editions.includes(chosen))
    throw new MediaResolveError(
      'media.edition',
      `"${chosen}" is not an edition of ${entry.title}: use one of ${entry.editions.join(', ')}`,
    );
  return chosen;
}

function evaluationWarning(entry: CatalogueEntry, edition: string, days: number | undefined): string[] {
  if (!days) return [];
  return [
    `${entry.title} ${edition} is an evaluation edition: it expires ${days} days after it is installed (a product key turns it into a licensed one)`,
  ];
}

type WindowsInput = Extract<InstallMediaInput, { kind: 'windows' }>;
type LiveSource = Exclude<MediaSource, { kind: 'url' | 'host-file' }>;

/** The route the catalogue's media takes where no source is asked for. */
function autoKind(
  m: CatalogueMedia,
  language: string,
  name: string,
): 'catalogue' | 'microsoft' | 'evaluation' {
  if (m.pinned?.language === language) return 'catalogue';
  if (m.microsoft) return 'microsoft';
  if (m.evaluation) return 'evaluation';
  throw new MediaResolveError(
    'media.language',
    `${name} is only available in ${m.pinned?.language ?? 'no language'} (the catalogue's pinned ISO; Microsoft serves it nowhere else): ` +
      `use language "${m.pinned?.language ?? 'en-us'}", or media { kind: "url" } or { kind: "iso" } with your own ISO`,
  );
}

function microsoftSource(media: WindowsInput, m: CatalogueMedia, name: string): LiveSource {
  if (!m.microsoft)
    throw new MediaResolveError(
      'media.source',
      `${name} is not on Microsoft's consumer download: use source ${[m.evaluation && '"evaluation"', m.pinned && '"catalogue"'].filter(Boolean).join(' or ') || '"auto"'}`,
    );
  const endpoints = { ...DEFAULT_ENDPOINTS, ...media.endpoints };
  return {
    kind: 'microsoft',
    product: m.microsoft.product,
    language: LANGUAGES[media.language]!,
    endpoint: endpoints.microsoft,
    sessionEndpoint: endpoints.microsoftSession,
    ovEndpoint: media.endpoints?.microsoftSession ?? DEFAULT_OV_ENDPOINT,
  };
}

function evaluationSource(media: WindowsInput, m: CatalogueMedia, name: string): LiveSource {
  if (!m.evaluation)
    throw new MediaResolveError(
      'media.source',
      `${name} is not on the Evaluation Center: use source ${[m.microsoft && '"microsoft"', m.pinned && '"catalogue"'].filter(Boolean).join(' or ') || '"auto"'}`,
    );
  return {
    kind: 'evaluation',
    product: m.evaluation.product,
    language: media.language,
    linkIndex: m.evaluation.linkIndex,
    endpoint: media.endpoints?.evaluation ?? DEFAULT_ENDPOINTS.evaluation,
  };
}

/** The pinned ISO; with `fallbacks` (source "auto") its digest travels on the source instead. */
function pinnedSpec(
  m: CatalogueMedia,
  pin: PinnedMedia,
  language: string,
  fallbacks: LiveSource[],
): InstallMediaSpec {
  const url = { kind: 'url' as const, url: pin.url, ...(pin.sizeBytes ? { sizeBytes: pin.sizeBytes } : {}) };
  const cacheKey = `${m.cacheName}-${language}-${pin.sha256.slice(0, 8)}`;
  if (fallbacks.length === 0) return { source: url, cacheKey, sha256: pin.sha256 };
  return { source: { ...url, sha256: pin.sha256 }, cacheKey, fallbacks };
}

function catalogueSource(media: WindowsInput, entry: CatalogueEntry, edition: string): InstallMediaSpec {
  const m = mediaFor(entry, edition);
  const name = `${entry.title} ${edition}`;
  const kind = media.source !== 'auto' ? media.source : autoKind(m, media.language, name);
  switch (kind) {
    case 'catalogue': {
      if (!m.pinned)
        throw new MediaResolveError(
          'media.source',
          `the catalogue pins no ISO for ${name}: use source "auto" or "${m.microsoft ? 'microsoft' : 'evaluation'}"`,
        );
      if (m.pinned.language !== media.language)
        throw new MediaResolveError(
          'media.source',
          `the catalogue's ISO of ${name} is ${m.pinned.language} only: use language "${m.pinned.language}" or source "auto"`,
        );
      // "auto": a pin that answers 404 falls back to the live route (stale pins happen).
      const live = [
        ...(m.microsoft ? [microsoftSource(media, m, name)] : []),
        ...(m.evaluation ? [evaluationSource(media, m, name)] : []),
      ];
      return pinnedSpec(m, m.pinned, media.language, media.source === 'auto' ? live : []);
    }
    case 'microsoft':
      return { source: microsoftSource(media, m, name), cacheKey: `${m.cacheName}-${media.language}` };
    case 'evaluation':
      return { source: evaluationSource(media, m, name), cacheKey: `${m.cacheName}-${media.language}` };
  }
}

/** The install section for an install media input; a MediaResolveError names the field. */
export function resolveInstallMedia(media: InstallMediaInput): ResolvedMedia {
  const entry = catalogueEntry(media.version);
  const edition = editionOf(entry, media.edition);
  const days = entry.evaluationDays?.[edition];
  const windows = { version: media.version, edition, ...(days ? { evaluationDays: days } : {}) };
  const warnings = evaluationWarning(entry, edition, days);
  switch (media.kind) {
    case 'windows':
      return {
        install: { windows, media: catalogueSource(media, entry, edition), fetchedBy: 'provider' },
        warnings,
      };
    case 'url':
      return {
        install: {
          windows,
          media: {
            source: { kind: 'url', url: media.url },
            // One cache file per URL (and digest): never the query string in clear.
            cacheKey: `${mediaFor(entry, edition).cacheName}-url-${digest(media.url + (media.sha256 ?? ''), 12)}`,
            ...(media.sha256 ? { sha256: media.sha256 } : {}),
          },
          fetchedBy: 'provider',
        },
        warnings,
      };
    case 'iso':
      return {
        install: {
          windows,
          media: {
            source: { kind: 'host-file', path: HOST_ISO_PATH },
            cacheKey: `host-${digest(posix.normalize(media.hostPath), 12)}`,
            ...(media.sha256 ? { sha256: media.sha256 } : {}),
          },
          fetchedBy: 'provider',
        },
        hostFile: posix.normalize(media.hostPath),
        warnings,
      };
  }
}
