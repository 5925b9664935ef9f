// The fetch step: the only writer of the host's media cache. A short-lived container of the VM's
// image runs `supervisor.js fetch-media` with the cache volume read-write, every capability
// dropped, no new privileges, the default bridge as its only network (what a download needs),
// and its request as a file; it is removed afterwards, whatever happened. Its stdout lines
// (FETCH_LINE_PREFIX) carry progress, which the caller shows, and the digests it verified, which
// the provider records in the VM spec and the state. VM containers mount the cache read-only.
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import type Dockerode from 'dockerode';
import {
  CONTAINER_PATHS,
  FETCH_LINE_PREFIX,
  FETCH_REQUEST_PATH,
  type FetchLine,
  type FetchRequest,
  type VmStatus,
} from '../../contract';
import { tarArchive } from '../docker/spec-archive';

export const FETCH_HELPER_LABEL = 'io.windock.helper';
export const FETCH_VM_LABEL = 'io.windock.media-fetch-for';

export interface FetchStep {
  docker: Dockerode;
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

function containerOptions(step: FetchStep): Dockerode.ContainerCreateOptions {
  return {
    name: `windock-fetch-${step.request.vmName}-${randomBytes(3).toString('hex')}`,
    Image: step.image,
    Entrypoint: ['/usr/local/bin/node', '/opt/windock/supervisor.js', 'fetch-media'],
    Labels: { [FETCH_HELPER_LABEL]: 'media-fetch', [FETCH_VM_LABEL]: step.request.vmName },
    HostConfig: {
      NetworkMode: 'bridge',
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges:true'],
      Mounts: [{ Type: 'volume', Source: step.cacheVolume, Target: CONTAINER_PATHS.mediaCache }],
    },
  };
}

/** A fetch container a killed provider left behind (never a running one: it may hold the lock). */
async function sweepLeftovers(step: FetchStep): Promise<void> {
  const left = await step.docker.listContainers({
    all: true,
    filters: { label: [`${FETCH_VM_LABEL}=${step.request.vmName}`], status: ['exited', 'created', 'dead'] },
  });
  for (const info of left)
    await step.docker
      .getContainer(info.Id)
      .remove({ force: true })
      .catch(() => undefined);
}

async function create(step: FetchStep): Promise<Dockerode.Container> {
  try {
    return await step.docker.createContainer(containerOptions(step));
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404)
      throw new Error(
        `the image "${step.image}" is not on host "${step.hostName}": install media are fetched by a container of it; build it there (scripts/setup.sh) or set windock:image`,
        { cause: error },
      );
    throw error;
  }
}

/** Follows the container's stdout, handing each fetch line to `onLine`; resolves at its end. */
async function follow(
  step: FetchStep,
  container: Dockerode.Container,
  onLine: (line: FetchLine) => void,
): Promise<string> {
  const raw = (await container.logs({ follow: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let stderrTail = '';
  stderr.on('data', (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString('utf8')).slice(-2000)));
  step.docker.modem.demuxStream(raw, stdout, stderr);
  const finish = () => {
    stdout.end();
    stderr.end();
  };
  raw.on('end', finish);
  raw.on('close', finish);
  raw.on('error', finish);
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

async function withTimeout<T>(work: Promise<T>, step: FetchStep, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(
        new MediaFetchError(
          'media: timeout',
          `fetching ${step.request.media.map((m) => m.cacheKey).join(', ')} on host "${step.hostName}" took longer than ${Math.round(step.timeoutMs / 1000)} s (timeouts.createSeconds); run \`pulumi up\` again to go on (a partial download starts over)`,
        ),
      );
    }, step.timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Runs the fetch step on the VM's host: the digests of the media, or a MediaFetchError. */
export async function runFetchStep(step: FetchStep): Promise<FetchedDigests> {
  await sweepLeftovers(step);
  const container = await create(step);
  try {
    const request = JSON.stringify(step.request);
    const name = FETCH_REQUEST_PATH.split('/').pop()!;
    await container.putArchive(await tarArchive([{ path: name, content: request, mode: 0o444 }]), {
      path: FETCH_REQUEST_PATH.slice(0, -name.length - 1),
    });
    let done: FetchedDigests | undefined;
    let failure: { message: string; step: string } | undefined;
    await container.start();
    const work = async () => {
      const stderr = await follow(step, container, (line) => {
        if ('progress' in line) step.onProgress(line.progress);
        else if ('log' in line) step.log(line.log);
        else if ('done' in line) done = line.done;
        else if ('error' in line) failure = line.error;
      });
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      return { stderr, code: StatusCode };
    };
    const { stderr, code } = await withTimeout(
      work(),
      step,
      () => void container.kill().catch(() => undefined),
    );
    if (failure) throw new MediaFetchError(failure.step, failure.message);
    if (code !== 0 || !done)
      throw new MediaFetchError(
        'media: fetch step',
        `the fetch container exited with code ${code} without an answer (an image older than this provider cannot fetch: rebuild it): ${stderr.trim().slice(-400)}`,
      );
    return done;
  } finally {
    await container.remove({ force: true, v: true }).catch(() => undefined);
  }
}
