// From a WindowsVm's install media input to the VM spec's install section. Pure.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { CONTAINER_PATHS, type InstallMediaSpec, type InstallSpec } from '../spec';
import { catalogueEntry, mediaFor, type CatalogueEntry } from './catalogue';
import { LANGUAGES } from './languages';
import type { InstallMediaInput } from '../resources/windows-vm/media-input';

export const DEFAULT_ENDPOINTS = {
  microsoft: 'https://www.microsoft.com',
  microsoftSession: 'https://vlscppe.microsoft.com',
  evaluation: 'https://www.microsoft.com',
} as const;

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

function catalogueSource(
  media: Extract<InstallMediaInput, { kind: 'windows' }>,
  entry: CatalogueEntry,
  edition: string,
) {
  const m = mediaFor(entry, edition);
  const endpoints = { ...DEFAULT_ENDPOINTS, ...media.endpoints };
  const pinnedHere = m.pinned && m.pinned.language === media.language ? m.pinned : undefined;
  const kind =
    media.source !== 'auto'
      ? media.source
      : pinnedHere
        ? 'catalogue'
        : m.microsoft
          ? 'microsoft'
          : 'evaluation';
  const name = `${entry.title} ${edition}`;
  switch (kind) {
    case 'catalogue': {
      if (!m.pinned)
        throw new MediaResolveError(
          'media.source',
          `the catalogue pins no ISO for ${name}: use source "auto" or "${m.microsoft ? 'microsoft' : 'evaluation'}"`,
        );
      if (!pinnedHere)
        throw new MediaResolveError(
          'media.source',
          `the catalogue's ISO of ${name} is ${m.pinned.language} only: use language "${m.pinned.language}" or source "auto"`,
        );
      const spec: InstallMediaSpec = {
        source: {
          kind: 'url',
          url: pinnedHere.url,
          ...(pinnedHere.sizeBytes ? { sizeBytes: pinnedHere.sizeBytes } : {}),
        },
        cacheKey: `${m.cacheName}-${media.language}-${pinnedHere.sha256.slice(0, 8)}`,
        sha256: pinnedHere.sha256,
      };
      return spec;
    }
    case 'microsoft':
      if (!m.microsoft)
        throw new MediaResolveError(
          'media.source',
          `${name} is not on Microsoft's consumer download: use source "evaluation"${m.pinned ? ' or "catalogue"' : ''}`,
        );
      return {
        source: {
          kind: 'microsoft',
          product: m.microsoft.product,
          language: LANGUAGES[media.language]!,
          endpoint: endpoints.microsoft,
          sessionEndpoint: endpoints.microsoftSession,
        },
        cacheKey: `${m.cacheName}-${media.language}`,
      } satisfies InstallMediaSpec;
    case 'evaluation':
      if (!m.evaluation)
        throw new MediaResolveError(
          'media.source',
          `${name} is not on the Evaluation Center: use source "microsoft"`,
        );
      return {
        source: {
          kind: 'evaluation',
          product: m.evaluation.product,
          language: media.language,
          linkIndex: m.evaluation.linkIndex,
          endpoint: endpoints.evaluation,
        },
        cacheKey: `${m.cacheName}-${media.language}`,
      } satisfies InstallMediaSpec;
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
