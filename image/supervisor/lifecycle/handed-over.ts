import { hasSecrets, waitForSecrets } from '../secrets/store';
import type { Log } from './log';

/** Waits for the provider's hand-over of these secrets, saying once in the log what it waits for. */
export async function secretsHandedOver(names: string[], what: string, log: Log): Promise<void> {
  if (hasSecrets(names)) return;
  log(`waiting for the provider to hand over the ${what} secrets (pulumi up or refresh does)`);
  await waitForSecrets(names);
}
