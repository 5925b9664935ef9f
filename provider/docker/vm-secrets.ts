// Secrets reach a VM only while its container runs: after every start the provider writes them
// into the container's /run tmpfs through `windock-supervisor secrets` (JSON on the exec's stdin).
// Nothing of them is in the container's config, its writable layer, its env or any argv.
import type Dockerode from 'dockerode';
import { openExecStream } from './exec-stream';
import { startWithIsolatedNetwork } from './isolated-network-cleanup';

export class SecretsHandOverError extends Error {}

/** Hands secrets to a running VM container (a no-op when there are none). */
export async function handOverSecrets(
  docker: Dockerode,
  container: string,
  secrets: Record<string, string>,
): Promise<void> {
  if (Object.keys(secrets).length === 0) return;
  const stream = await openExecStream(docker, container, ['windock-supervisor', 'secrets']);
  stream.end(JSON.stringify(secrets));
  for await (const chunk of stream) void chunk;
  const code = await stream.exitCode();
  if (code !== 0)
    throw new SecretsHandOverError(
      `container ${container}: the secrets could not be handed over (exit ${code}): ${stream.stderrText().trim()}`,
    );
}

const STOPPING_GRACE_MS = 5_000;

const stateOf = (docker: Dockerode, container: string) =>
  docker
    .getContainer(container)
    .inspect()
    .then((info) => info.State)
    .catch(() => undefined);

/** Whether the container stopped, or was started again by its restart policy, since `startedAt`. */
async function stopsWithin(
  docker: Dockerode,
  container: string,
  startedAt: string | undefined,
  ms: number,
): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const state = await stateOf(docker, container);
    if (!state || !state.Running || state.Restarting || state.StartedAt !== startedAt) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts a VM container and hands its secrets over (they live in a tmpfs that each start empties). */
export async function startVmContainer(
  docker: Dockerode,
  container: string,
  secrets: Record<string, string>,
): Promise<void> {
  await startWithIsolatedNetwork(docker, container);
  const startedAt = (await stateOf(docker, container))?.StartedAt;
  try {
    await handOverSecrets(docker, container, secrets);
  } catch (error) {
    // A VM that stopped at once (a refused volume, a bad share) ended the exec with it: its own
    // exit code and status say why, and the readiness wait that follows every start reports them.
    // The exec can end (137) a moment before Docker reports the container stopped: wait for it.
    if (await stopsWithin(docker, container, startedAt, STOPPING_GRACE_MS)) return;
    throw error;
  }
}
