import type { ExecuteOptions, QmpClient } from './qmp-client';
import type { QmpStatus } from './types';

export function queryStatus(client: QmpClient, options?: ExecuteOptions): Promise<QmpStatus> {
  return client.execute<QmpStatus>('query-status', undefined, options);
}

/** Presses the ACPI power button. A guest may ignore it: callers repeat it, then `quit`. */
export async function powerdown(client: QmpClient, options?: ExecuteOptions): Promise<void> {
  await client.execute('system_powerdown', undefined, options);
}

/** Ends QEMU at once (a hard power-off for the guest). */
export function quit(client: QmpClient, options?: ExecuteOptions): Promise<void> {
  return client.quit(options);
}
