// The fetch step: the only writer of the host's media cache. A short-lived container of the VM's
// image runs `supervisor.js fetch-media` with the cache volume read-write, every capability
// dropped, no new privileges, the default bridge as its only network (what a download needs),
// and its request as a file; it is removed afterwards, whatever happened. Its stdout lines
// (FETCH_LINE_PREFIX) carry progress, which the caller shows, and the digests it verified, which
// the provider records in the VM spec and the state. VM containers mount the cache read-only.
import { createInterface } from 'node:readline';
import { listContainers, removeContainer, waitContainer } from '../docker/containers';
import type { DockerEngine } from '../docker/engine';
import { HELPER_LABEL, withHelperContainer, type HelperOptions } from '../docker/helper-container';
import { followContainerLogs } from '../docker/logs';
import {
  CONTAINER_PATHS,
  FETCH_LINE_PREFIX,
  FETCH_REQUEST_PATH,
  type FetchLine,
  type FetchRequest,
  type VmStatus,
} from '../../contract';

export const FETCH_HELPER_LABEL = HELPER_LABEL;
export const FETCH_VM_LABEL = 'io.windock.media-fetch-for';

export interface FetchStep {
  docker: DockerEngine;
  hostName: string;
  image: string;
  cacheVolume: string;
  request: FetchRequest;
  timeoutMs: number;
  onProgress: (download: NonNullable<VmStatus['download']>) => void;
  log: (line: string) => void;
}

export type FetchedDigests = Extract<FetchLine, { done: unknown }>['done'];

/** Why the fetch step failed: its step and message, as the VM's supervisor used to report them. */
export class MediaFetchError extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(`install media: FAILED at ${step}: ${message}`);
    this.name = 'MediaFetchError';
  }
}

/** The fetch helper: the one that needs a network (the default bridge: a download) and writes the cache. */
function helperOptions(step: FetchStep): HelperOptions {
  const name = FETCH_REQUEST_PATH.split('/').pop()!;
  return {
    image: step.image,
    purpose: 'media-fetch',
    namePrefix: `windock-fetch-${step.request.vmName}`,
    entrypoint: ['/usr/local/bin/node', '/opt/windock/supervisor.js', 'fetch-media'],
    labels: { [FETCH_VM_LABEL]: step.request.vmName },
    network: 'bridge',
    // The request goes in as a file under /etc/windock before the start: Docker's archive API
    // cannot write into a read-only root.
    writableRootfs: true,
    mounts: [
      { type: 'volume', source: step.cacheVolume, target: CONTAINER_PATHS.mediaCache, readOnly: false },
    ],
    files: {
      dir: FETCH_REQUEST_PATH.slice(0, -name.length - 1),
      files: [{ path: name, content: JSON.stringify(step.request), mode: 0o444 }],
    },
    imageMissing: (error) =>
      new Error(
        `the image "${step.image}" is not on host "${step.hostName}": install media are fetched by a container of it; build it there (scripts/setup.sh) or set windock:image`,
        { cause: error },
      ),
  };
}

/** A fetch container a killed provider left behind (never a running one: it may hold the lock). */
async function sweepLeftovers(step: FetchStep): Promise<void> {
  const left = await listContainers(step.docker, {
    label: [`${FETCH_VM_LABEL}=${step.request.vmName}`],
    status: ['exited', 'created', 'dead'],
  });
  for (const info of left)
    await removeContainer(step.docker, info.Id, { volumes: false }).catch(() => undefined);
}

/** Follows the container's stdout, handing each fetch line to `onLine`; resolves at its end. */
async function follow(
  step: FetchStep,
  container: string,
  onLine: (line: FetchLine) => void,
): Promise<string> {
  const { stdout, stderr } = await followContainerLogs(step.docker, container);
  let stderrTail = '';
  stderr.on('data', (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString('utf8')).slice(-2000)));
  for await (const line of createInterface({ input: stdout })) {
    if (!line.startsWith(FETCH_LINE_PREFIX)) continue;
    try {
      onLine(JSON.parse(line.slice(FETCH_LINE_PREFIX.length)) as FetchLine);
    } catch {
      // A torn line: the next progress report comes within a second.
    }
  }
  return stderrTail;
}

function timeoutError(step: FetchStep): MediaFetchError {
  return new MediaFetchError(
    'media: timeout',
    `fetching ${step.request.media.map((m) => m.cacheKey).join(', ')} on host "${step.hostName}" took longer than ${Math.round(step.timeoutMs / 1000)} s (timeouts.createSeconds); run \`pulumi up\` again to go on (a partial download starts over)`,
  );
}

/** What the fetch container said: its last fetch lines and how it ended. */
interface FetchOutcome {
  done?: FetchedDigests;
  failure?: { message: string; step: string };
  stderr: string;
  code: number;
}

/** Follows a started fetch container to its end. */
async function watch(step: FetchStep, container: string): Promise<FetchOutcome> {
  const outcome: Omit<FetchOutcome, 'stderr' | 'code'> = {};
  const stderr = await follow(step, container, (line) => {
    if ('progress' in line) step.onProgress(line.progress);
    else if ('log' in line) step.log(line.log);
    else if ('done' in line) outcome.done = line.done;
    else if ('error' in line) outcome.failure = line.error;
  });
  return { ...outcome, stderr, code: await waitContainer(step.docker, container) };
}

/** Runs the fetch step on the VM's host: the digests of the media, or a MediaFetchError. */
export async function runFetchStep(step: FetchStep): Promise<FetchedDigests> {
  await sweepLeftovers(step);
  const { done, failure, stderr, code } = await withHelperContainer(
    step.docker,
    helperOptions(step),
    (container) => watch(step, container),
    { ms: step.timeoutMs, error: () => timeoutError(step) },
  );
  if (failure) throw new MediaFetchError(failure.step, failure.message);
  if (code !== 0 || !done)
    throw new MediaFetchError(
      'media: fetch step',
      `the fetch container exited with code ${code} without an answer (an image older than this provider cannot fetch: rebuild it): ${stderr.trim().slice(-400)}`,
    );
  return done;
}
