import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { dockerLogText } from '../../provider/docker/log-frames';

/** Strips Docker's 8-byte stream headers from a non-TTY log buffer. */
export const demux = dockerLogText;

export const WINDOCK_IMAGE = process.env.WINDOCK_IMAGE ?? 'windock/vm:dev';

export function localDocker(): Dockerode {
  return new Dockerode({ socketPath: process.env.WINDOCK_DOCKER_SOCKET ?? '/var/run/docker.sock' });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Resolves with the log text once `pattern` appears in the container's output. */
export async function waitForLog(
  container: Dockerode.Container,
  pattern: RegExp | string,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await containerLogs(container);
    if (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) return text;
    if (Date.now() > deadline)
      throw new Error(`"${pattern}" did not appear in ${timeoutMs} ms; log:\n${text.slice(-3000)}`);
    const state = (await container.inspect()).State;
    if (!state.Running && state.Status === 'exited') {
      throw new Error(
        `container exited (${state.ExitCode}) before "${pattern}" appeared; log:\n${text.slice(-3000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function containerLogs(container: Dockerode.Container): Promise<string> {
  const raw = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
  return demux(raw);
}

/** Removes what a test made, even when the test failed half way. */
export class Cleanup {
  private readonly steps: Array<() => Promise<unknown>> = [];
  add(step: () => Promise<unknown>): void {
    this.steps.unshift(step);
  }
  async run(): Promise<void> {
    for (const step of this.steps.splice(0)) await step().catch(() => undefined);
  }
}
