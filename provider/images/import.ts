// Imports a VM's disk image into its host's image cache once: the cache is asked first (a hit
// sends nothing), else the bytes are streamed into partial/<digest>.<format> from the partial
// file's length (a broken transfer resumes on the next `pulumi up`), verified (SHA-256, qemu-img
// info and check), and only then renamed to sha256/<digest>.qcow2. A bad file is deleted, so the
// cache never holds it under a good name; the helper container goes whatever happens.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Dockerode from 'dockerode';
import { startImageCacheHelper, type ImageCacheHelper } from '../docker/image-cache-helper';
import {
  cachedImagePath,
  ensureImageCacheVolume,
  IMAGE_CACHE_MOUNT,
  IMAGE_CACHE_VOLUME,
  HOST_IMAGE_SOURCE,
  partialImagePath,
} from './cache';
import { localDigest } from './local-digest';
import { sizeText } from '../progress/throttle';
import { progressLines, type Write } from './progress';
import { describeOrigin, type ImageSource } from './source';
import { judgeImageInfo, judgeVirtualSize, type ImageInfo } from './validate';

export class ImageImportError extends Error {
  override name = 'ImageImportError';
}

export interface ImportAccess {
  docker: Dockerode;
  hostName: string;
  /** The VM's image (it has qemu-img, sha256sum, dd). */
  image: string;
  /** Default: the host's cache volume. */
  volume?: string;
  write?: Write;
}

export interface Imported {
  digest: string;
  /** Bytes sent to the host by this import (0 on a cache hit). */
  sentBytes: number;
  cacheHit: boolean;
}

/** flock's exit code when another import holds the partial file. */
const BUSY = 75;

const hex = (text: string) => createHash('sha256').update(text).digest('hex');

async function must(
  helper: ImageCacheHelper,
  what: string,
  script: string,
  args: string[] = [],
): Promise<string> {
  const done = await helper.sh(script, args);
  if (done.exitCode !== 0)
    throw new ImageImportError(
      `${what} failed (exit ${done.exitCode}): ${(done.stderr || done.stdout).trim()}`,
    );
  return done.stdout.trim();
}

const isCached = async (helper: ImageCacheHelper, digest: string) =>
  (await helper.sh('[ -f "$1" ]', [cachedImagePath(digest)])).exitCode === 0;

const partialLength = async (helper: ImageCacheHelper, partial: string) =>
  Number(
    await must(
      helper,
      'reading the partial file',
      'mkdir -p "$(dirname "$1")"; stat -c %s "$1" 2>/dev/null || echo 0',
      [partial],
    ),
  );

/** A byte counter in the stream, for progress lines and the bytes-sent figure. */
function counter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
}

/**
 * Appends a stream at `offset` of the partial file (holes kept sparse), under a lock so two
 * imports never write one file; returns the bytes sent.
 */
async function receive(
  helper: ImageCacheHelper,
  partial: string,
  offset: number,
  input: Readable,
  progress: (done: number) => void,
): Promise<number> {
  const sink = await helper.pipe([
    'flock',
    '-n',
    '-E',
    String(BUSY),
    `${partial}.lock`,
    'dd',
    `of=${partial}`,
    'bs=1M',
    'iflag=fullblock',
    `seek=${offset}`,
    'oflag=seek_bytes',
    'conv=notrunc,sparse',
    'status=none',
  ]);
  let sent = 0;
  sink.resume(); // dd writes nothing to stdout; drain it so the stream can end
  await pipeline(
    input,
    counter((n) => progress(offset + (sent += n))),
    sink,
  );
  const code = await sink.exitCode();
  if (code === BUSY)
    throw new ImageImportError('another import of this image is running on the host; run again when it ends');
  if (code !== 0)
    throw new ImageImportError(
      `writing the image on the host failed (exit ${code}): ${sink.stderrText().trim()}`,
    );
  return sent;
}

/** The source's bytes from `offset`, and their total length where known. */
async function openSource(
  source: ImageSource,
  offset: number,
): Promise<{ stream: Readable; total?: number; from: number }> {
  if (source.from.kind === 'file') {
    const total = statSync(source.from.path).size;
    return {
      stream: createReadStream(source.from.path, { start: offset, highWaterMark: 1024 ** 2 }),
      total,
      from: offset,
    };
  }
  if (source.from.kind === 'url') {
    const response = await fetch(
      source.from.url,
      offset > 0 ? { headers: { range: `bytes=${offset}-` } } : {},
    );
    if (!response.ok || !response.body)
      throw new ImageImportError(`${source.field}: ${source.from.url} answered HTTP ${response.status}`);
    const resumed = response.status === 206;
    const length = Number(response.headers.get('content-length') ?? NaN);
    const from = resumed ? offset : 0;
    return {
      stream: Readable.fromWeb(response.body as never),
      total: Number.isFinite(length) ? from + length : undefined,
      from,
    };
  }
  throw new ImageImportError(`${source.field}: a host file is copied on the host, not streamed`);
}

/** Streams the source into the partial file, resuming from its length. */
async function transfer(
  helper: ImageCacheHelper,
  source: ImageSource,
  partial: string,
  write: Write,
  host: string,
): Promise<number> {
  const have = await partialLength(helper, partial);
  if (source.from.kind === 'host') {
    await must(
      helper,
      'copying the host file into the cache',
      'exec flock -n -E 75 "$1.lock" dd if="$2" of="$1" bs=1M skip="$3" seek="$3" iflag=skip_bytes oflag=seek_bytes conv=notrunc,sparse status=none',
      [partial, HOST_IMAGE_SOURCE, String(have)],
    );
    return 0;
  }
  const opened = await openSource(source, have);
  if (opened.from === 0 && have > 0) await must(helper, 'restarting the partial file', ': > "$1"', [partial]);
  if (opened.total !== undefined && opened.from >= opened.total) {
    opened.stream.destroy();
    return 0;
  }
  if (opened.from > 0) write(`resuming ${describeOrigin(source.from)} at ${sizeText(opened.from)}`);
  const progress = progressLines(
    `sending ${describeOrigin(source.from)} to host "${host}"`,
    opened.total,
    write,
  );
  try {
    return await receive(helper, partial, opened.from, opened.stream, progress);
  } catch (error) {
    if (error instanceof ImageImportError) throw error;
    throw new ImageImportError(
      `${source.field}: the transfer of ${describeOrigin(source.from)} broke (${(error as Error).message}); ` +
        'what arrived is kept: the next pulumi up resumes from there',
    );
  }
}

/** The digest the image is cached under, as far as it is known before any transfer. */
async function knownDigest(
  helper: ImageCacheHelper,
  source: ImageSource,
  write: Write,
): Promise<string | undefined> {
  if (source.sha256) return source.sha256;
  if (source.from.kind === 'file') return localDigest(source.from.path, write);
  if (source.from.kind === 'host')
    return (await must(helper, 'hashing the host file', 'sha256sum "$1"', [HOST_IMAGE_SOURCE])).split(' ')[0];
  // A URL without a digest: the digest of an earlier download of the same URL, if any.
  const seen = await helper.sh('cat "$1" 2>/dev/null', [
    `${IMAGE_CACHE_MOUNT}/by-url/${hex(source.from.url)}`,
  ]);
  return /^[0-9a-f]{64}$/.test(seen.stdout.trim()) ? seen.stdout.trim() : undefined;
}

/** Checks the received file and moves it under its digest; a bad file is deleted. */
async function verifyAndStore(
  helper: ImageCacheHelper,
  source: ImageSource,
  partial: string,
  expected: string | undefined,
  write: Write,
): Promise<string> {
  write(`verifying ${describeOrigin(source.from)}`);
  const got = (await must(helper, 'hashing the received image', 'sha256sum "$1"', [partial])).split(' ')[0]!;
  const drop = () => helper.sh('rm -f "$1" "$1.lock"', [partial]);
  if (expected !== undefined && got !== expected) {
    await drop();
    const field = source.sha256 ? `${source.field.replace(/\.\w+$/, '')}.sha256` : source.field;
    throw new ImageImportError(
      `${field}: the image's SHA-256 is ${got}, not ${expected}` +
        (source.sha256
          ? ': the file is not the one named (or the digest is wrong)'
          : ': it changed in transit or on disk; run again'),
    );
  }
  const info = JSON.parse(
    await must(helper, 'reading the image (qemu-img info)', 'qemu-img info --output=json "$1"', [partial]),
  ) as ImageInfo;
  const length = Number(await must(helper, 'sizing the image', 'stat -c %s "$1"', [partial]));
  const refusal = judgeImageInfo(info, {
    field: source.field,
    formatField: source.formatField,
    declared: source.format,
    length,
  });
  if (refusal) {
    await drop();
    throw new ImageImportError(refusal);
  }
  if (source.format !== 'raw') {
    // Exit 3 is leaked clusters only (harmless); 2 is corruption; 1 an unreadable (truncated) file.
    const check = await helper.sh('qemu-img check -q -f "$2" "$1"', [partial, source.format]);
    if (check.exitCode !== 0 && check.exitCode !== 3) {
      await drop();
      throw new ImageImportError(
        `${source.field}: the ${source.format} image is damaged or truncated (qemu-img check: ${(check.stderr || check.stdout).trim().split('\n')[0]})`,
      );
    }
  }
  const target = cachedImagePath(got);
  await must(
    helper,
    'storing the image in the cache',
    'set -e; mkdir -p "$(dirname "$2")"; if [ "$3" = qcow2 ]; then mv "$1" "$2.storing"; else qemu-img convert -f "$3" -O qcow2 "$1" "$2.storing"; rm -f "$1"; fi; mv "$2.storing" "$2"; rm -f "$1.lock"',
    [partial, target, source.format],
  );
  if (source.from.kind === 'url')
    await must(helper, 'recording the URL', 'mkdir -p "$(dirname "$1")" && echo "$2" > "$1"', [
      `${IMAGE_CACHE_MOUNT}/by-url/${hex(source.from.url)}`,
      got,
    ]);
  return got;
}

async function checkFits(
  helper: ImageCacheHelper,
  digest: string,
  source: ImageSource,
  systemDiskMiB: number,
): Promise<void> {
  const info = JSON.parse(
    await must(helper, 'reading the cached image', 'qemu-img info -U --output=json "$1"', [
      cachedImagePath(digest),
    ]),
  ) as ImageInfo;
  const refusal = judgeVirtualSize(info['virtual-size'], systemDiskMiB, source.field);
  if (refusal) throw new ImageImportError(refusal);
}

/** Brings the image into the host's cache (once) and returns its digest. */
export async function importImage(
  access: ImportAccess,
  source: ImageSource,
  systemDiskMiB: number,
): Promise<Imported> {
  const write = access.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const volume = access.volume ?? IMAGE_CACHE_VOLUME;
  await ensureImageCacheVolume(access.docker, volume);
  const hostFile =
    source.from.kind === 'host' ? { source: source.from.path, target: HOST_IMAGE_SOURCE } : undefined;
  const helper = await startImageCacheHelper(
    access.docker,
    access.image,
    volume,
    IMAGE_CACHE_MOUNT,
    hostFile,
  );
  try {
    let digest = await knownDigest(helper, source, write);
    const hit = digest !== undefined && (await isCached(helper, digest));
    let sentBytes = 0;
    if (hit)
      write(
        `disk image ${describeOrigin(source.from)} is in host "${access.hostName}"'s image cache (sha256 ${digest}): nothing to send`,
      );
    else {
      const partial = partialImagePath(digest ?? `url-${hex(describeOrigin(source.from))}`, source.format);
      sentBytes = await transfer(helper, source, partial, write, access.hostName);
      digest = await verifyAndStore(helper, source, partial, digest, write);
      write(
        `disk image ${describeOrigin(source.from)} is now in host "${access.hostName}"'s image cache (sha256 ${digest}, ${sizeText(sentBytes)} sent)`,
      );
    }
    await checkFits(helper, digest!, source, systemDiskMiB);
    return { digest: digest!, sentBytes, cacheHit: hit };
  } finally {
    await helper.remove();
  }
}
