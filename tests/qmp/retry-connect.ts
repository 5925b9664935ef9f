import type net from 'node:net';
import { connectUnix } from '../../lib/qmp';

/** Connects to a unix socket that a just-started process is about to create. */
export async function connectWhenReady(path: string, timeoutMs = 10_000): Promise<net.Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await connectUnix(path, { timeoutMs: 1_000 });
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
