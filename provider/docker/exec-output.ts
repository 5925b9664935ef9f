import type { DockerEngine } from './engine';
import { openExecStream } from './exec-stream';

/** Runs a command in a container and returns its stdout and exit code. */
export async function execOutput(
  docker: DockerEngine,
  containerId: string,
  cmd: string[],
): Promise<{ stdout: string; exitCode: number | null; stderr: string }> {
  const stream = await openExecStream(docker, containerId, cmd);
  stream.end();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return {
    stdout: Buffer.concat(chunks).toString('utf8'),
    exitCode: await stream.exitCode(),
    stderr: stream.stderrText(),
  };
}
