import { connectUnix } from '../../lib/qmp/connect-unix';
import { QmpClient } from '../../lib/qmp/qmp-client';

/** The supervisor's own QMP connection (the provider uses the other monitor socket). */
export async function connectMonitor(path: string): Promise<QmpClient> {
  return QmpClient.connect(await connectUnix(path), { timeoutMs: 15_000 });
}
