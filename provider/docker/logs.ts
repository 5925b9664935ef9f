// A container's logs (non-TTY: Docker frames each write with its stream), read once or followed.
import { PassThrough, type Readable } from 'node:stream';
import type { DockerEngine } from './engine';
import { DockerFrameDemuxer } from './exec-stream';
import { demuxDockerLogs, dockerLogText } from './log-frames';

export interface ContainerLogs {
  stdout: string;
  stderr: string;
  /** Both, interleaved in the order they were written. */
  text: string;
}

/** The container's logs so far (the last `tail` lines of each stream when given). */
export async function readContainerLogs(
  docker: DockerEngine,
  container: string,
  options: { tail?: number } = {},
): Promise<ContainerLogs> {
  const raw = await docker.getContainer(container).logs({
    stdout: true,
    stderr: true,
    follow: false,
    ...(options.tail !== undefined ? { tail: options.tail } : {}),
  });
  return { ...demuxDockerLogs(raw), text: dockerLogText(raw) };
}

/** The container's stdout and stderr as they are written, each ending when the container's logs end. */
export async function followContainerLogs(
  docker: DockerEngine,
  container: string,
): Promise<{ stdout: Readable; stderr: Readable }> {
  const raw = await docker.getContainer(container).logs({ follow: true, stdout: true, stderr: true });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const demux = new DockerFrameDemuxer();
  const finish = () => {
    stdout.end();
    stderr.end();
  };
  raw.on('data', (chunk: Buffer) => {
    try {
      for (const frame of demux.push(chunk)) (frame.stream === 2 ? stderr : stdout).write(frame.data);
    } catch {
      finish(); // not a framed stream: nothing more can be read from it
    }
  });
  raw.on('end', finish);
  raw.on('close', finish);
  raw.on('error', finish);
  return { stdout, stderr };
}
