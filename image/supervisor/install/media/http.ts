// The HTTP side of media fetching: small API answers (text, size-capped) and streamed
// downloads that hash while they write. Node's fetch; no credentials, no cookies kept.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { MediaBlockedError, MediaError, MediaGoneError } from './errors';
import { blockedStatus } from './microsoft-protocol';
import { userAgent } from './user-agent';
const API_TIMEOUT_MS = 30_000;
const API_MAX_BYTES = 1024 * 1024;
/** A download that sends nothing for this long is dropped. */
const IDLE_TIMEOUT_MS = 60_000;

/** A URL for messages and the cache record: origin and path, never the query (links carry tokens). */
export function withoutQuery(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url.split('?')[0]!;
  }
}

export async function fetchText(
  url: string,
  step: string,
  options: { referer?: string; what?: string } = {},
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { 'User-Agent': userAgent(), ...(options.referer ? { Referer: options.referer } : {}) },
      redirect: 'follow',
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
  } catch (error) {
    throw new MediaError(`${withoutQuery(url)} did not answer: ${causeOf(error)}`, step);
  }
  const body = await response.text();
  const blocked = blockedStatus(response.status);
  if (blocked) throw new MediaBlockedError(options.what ?? 'the download', blocked);
  if (!response.ok)
    throw httpError(
      `${withoutQuery(url)} answered HTTP ${response.status}${body ? `: ${body.slice(0, 160)}` : ''}`,
      step,
      response.status,
    );
  if (body.length > API_MAX_BYTES)
    throw new MediaError(`${withoutQuery(url)} answered with more than 1 MiB`, step);
  return body;
}

/** 404 and 410 say the file is not there (a stale pin): the caller may try another source. */
function httpError(message: string, step: string, status: number): MediaError {
  return status === 404 || status === 410
    ? new MediaGoneError(message, step, status)
    : new MediaError(message, step);
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/** The final URL a link redirects to (the Evaluation Center's fwlinks), without downloading it. */
export async function resolveRedirect(url: string, step: string): Promise<string> {
  try {
    const response = await fetch(url, {
      method: 'HEAD',
      headers: { 'User-Agent': userAgent() },
      redirect: 'follow',
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
    if (!response.ok)
      throw httpError(`${withoutQuery(url)} answered HTTP ${response.status}`, step, response.status);
    return response.url || url;
  } catch (error) {
    if (error instanceof MediaError) throw error;
    throw new MediaError(`${withoutQuery(url)} did not answer: ${causeOf(error)}`, step);
  }
}

/**
 * Where a link redirects first, without following it (the Evaluation Center's fwlinks: the
 * target's path names the ISO's real language), or undefined when it does not redirect.
 */
export async function firstRedirect(url: string, step: string): Promise<string | undefined> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'HEAD',
      headers: { 'User-Agent': userAgent() },
      redirect: 'manual',
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
  } catch (error) {
    throw new MediaError(`${withoutQuery(url)} did not answer: ${causeOf(error)}`, step);
  }
  const location = response.headers.get('location');
  if (response.status < 300 || response.status >= 400 || !location) return undefined;
  return new URL(location, url).toString();
}

/** Streams `url` into `path`, hashing as it writes; progress after every chunk. */
export async function downloadTo(
  url: string,
  path: string,
  onProgress: (bytes: number, totalBytes: number | undefined) => void,
  sizeHint?: number,
): Promise<{ sha256: string; sizeBytes: number }> {
  const abort = new AbortController();
  let idle = setTimeout(() => abort.abort(), IDLE_TIMEOUT_MS);
  const step = 'media: download';
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { 'User-Agent': userAgent() },
      redirect: 'follow',
      signal: abort.signal,
    });
  } catch (error) {
    clearTimeout(idle);
    throw new MediaError(`${withoutQuery(url)} did not answer: ${causeOf(error)}`, step);
  }
  const blocked = blockedStatus(response.status);
  if (blocked) {
    clearTimeout(idle);
    throw new MediaBlockedError('the download', blocked);
  }
  if (!response.ok || !response.body) {
    clearTimeout(idle);
    throw httpError(`${withoutQuery(url)} answered HTTP ${response.status}`, step, response.status);
  }
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : sizeHint;
  const hash = createHash('sha256');
  const out = createWriteStream(path, { mode: 0o644 });
  let bytes = 0;
  try {
    for await (const chunk of Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>)) {
      const buffer = chunk as Buffer;
      clearTimeout(idle);
      idle = setTimeout(() => abort.abort(), IDLE_TIMEOUT_MS);
      hash.update(buffer);
      bytes += buffer.length;
      if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      onProgress(bytes, total);
    }
    out.end();
    await finished(out);
  } catch (error) {
    out.destroy();
    throw new MediaError(
      `the download from ${withoutQuery(url)} broke off after ${bytes} bytes: ${causeOf(error)}`,
      step,
    );
  } finally {
    clearTimeout(idle);
  }
  if (Number.isFinite(length) && length > 0 && bytes !== length)
    throw new MediaError(
      `the download from ${withoutQuery(url)} ended after ${bytes} of ${length} bytes`,
      step,
    );
  return { sha256: hash.digest('hex'), sizeBytes: bytes };
}
