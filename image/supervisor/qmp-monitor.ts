import { connectUnix } from '../../provider/qmp/connect-unix';
import { QmpClient } from '../../provider/qmp/qmp-client';

/** The supervisor's own QMP connection (the provider uses the other monitor socket). */
export async function connectMonitor(path: string): Promise<QmpClient> {
  return QmpClient.connect(await connectUnix(path), { timeoutMs: 15_000 });
}
