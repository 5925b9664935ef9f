import type Dockerode from 'dockerode';
import { openExecStream } from '../docker/exec-stream';
import { QmpClient } from '../../lib/qmp/qmp-client';
import { RUNTIME_PATHS } from '../../contract';

/** QMP of a VM on any host, through `docker exec socat`: no network port is ever opened. */
export async function connectVmQmp(docker: Dockerode, containerId: string): Promise<QmpClient> {
  const stream = await openExecStream(docker, containerId, [
    'socat',
    '-',
    `UNIX-CONNECT:${RUNTIME_PATHS.qmp}`,
  ]);
  return QmpClient.connect(stream, { timeoutMs: 15_000 });
}
