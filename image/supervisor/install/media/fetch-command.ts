// `supervisor.js fetch-media`: the provider's fetch step, the only writer of the host's media
// cache. It runs in a short-lived container of the VM's image (no capabilities, the cache
// mounted read-write, the default bridge for the download), reads its request from a file, and
// answers in FETCH_LINE_PREFIX lines on stdout: progress, log lines, then the digests or the
// failure, which the provider follows to show progress and record the digests.
import { readFileSync } from 'node:fs';
import {
  FETCH_LINE_PREFIX,
  FETCH_REQUEST_PATH,
  fetchRequest,
  type FetchLine,
  type FetchRequest,
} from '../../../../contract';
import { EXIT } from '../../exit-codes';
import { MediaError } from './errors';
import { fetchMedia, type DownloadStatus } from './fetch-media';

/** Progress at most this often (the provider thins it out further to a line per 5 %). */
const PROGRESS_EVERY_MS = 500;

function emit(line: FetchLine): void {
  process.stdout.write(FETCH_LINE_PREFIX + JSON.stringify(line) + '\n');
}

function readRequest(): FetchRequest {
  try {
    return fetchRequest.parse(JSON.parse(readFileSync(FETCH_REQUEST_PATH, 'utf8')));
  } catch (error) {
    throw new MediaError(
      `the fetch request ${FETCH_REQUEST_PATH} is missing or invalid (${(error as Error).message}): this image and the provider must match`,
      'media: request',
    );
  }
}

function throttled(report: (status: DownloadStatus) => void): (status: DownloadStatus) => void {
  let last = 0;
  return (status) => {
    const complete = status.totalBytes !== undefined && status.bytes >= status.totalBytes;
    if (!complete && Date.now() - last < PROGRESS_EVERY_MS) return;
    last = Date.now();
    report(status);
  };
}

export async function fetchMediaCommand(): Promise<number> {
  try {
    const request = readRequest();
    const done: Array<{ cacheKey: string; sha256?: string; hit: boolean }> = [];
    for (const media of request.media) {
      const got = await fetchMedia(media, {
        vmName: request.vmName,
        download: request.download,
        log: (line) => emit({ log: line }),
        onProgress: throttled((progress) => emit({ progress })),
      });
      done.push({ cacheKey: media.cacheKey, ...(got.sha256 ? { sha256: got.sha256 } : {}), hit: got.hit });
    }
    emit({ done });
    return EXIT.OK;
  } catch (error) {
    const step = error instanceof MediaError ? error.step : 'media';
    emit({ error: { message: (error as Error).message, step } });
    return EXIT.MEDIA;
  }
}
