import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export async function waitForPath(path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
    await sleep(50);
  }
}
