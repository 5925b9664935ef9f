import type Dockerode from 'dockerode';
import { GuestAgentClient } from '../agent/guest-agent-client';
import { openExecStream } from '../docker/exec-stream';
import { RUNTIME_PATHS } from '../../contract';

/** The guest agent of a VM on any host, through `docker exec socat` (no network port). */
export async function connectVmAgent(
  docker: Dockerode,
  containerId: string,
  timeoutMs = 15_000,
): Promise<GuestAgentClient> {
  const stream = await openExecStream(docker, containerId, [
    'socat',
    '-',
    `UNIX-CONNECT:${RUNTIME_PATHS.guestAgent}`,
  ]);
  stream.on('error', () => undefined);
  return GuestAgentClient.connect(stream, { timeoutMs });
}
