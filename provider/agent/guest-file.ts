import { GuestAgentError } from './errors';
import type { GuestAgentClient } from './guest-agent-client';

export interface FileOptions {
  /** Deadline for the whole transfer. Default 60 s. */
  timeoutMs?: number;
  /** Bytes per guest-file-read/-write call. Default 1 MiB (qemu-ga allows up to 48 MiB). */
  chunkBytes?: number;
}

const DEFAULT_FILE_MS = 60_000;
const DEFAULT_CHUNK = 1024 * 1024;

/** Reads a whole guest file. */
export function fileRead(client: GuestAgentClient, path: string, options: FileOptions = {}): Promise<Buffer> {
  const chunk = options.chunkBytes ?? DEFAULT_CHUNK;
  return withHandle(client, path, 'r', options, async (handle, timeout) => {
    const parts: Buffer[] = [];
    for (;;) {
      const read = await client.execute<{ count: number; 'buf-b64': string; eof: boolean }>(
        'guest-file-read',
        { handle, count: chunk },
        { timeoutMs: timeout() },
      );
      parts.push(Buffer.from(read['buf-b64'], 'base64'));
      if (read.eof || read.count === 0) return Buffer.concat(parts);
    }
  });
}

/** Creates or truncates a guest file and writes `data` to it. */
export function fileWrite(
  client: GuestAgentClient,
  path: string,
  data: Buffer | string,
  options: FileOptions = {},
): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const chunk = options.chunkBytes ?? DEFAULT_CHUNK;
  return withHandle(client, path, 'w', options, async (handle, timeout) => {
    let offset = 0;
    while (offset < bytes.length) {
      const slice = bytes.subarray(offset, offset + chunk);
      const wrote = await client.execute<{ count: number }>(
        'guest-file-write',
        { handle, 'buf-b64': slice.toString('base64') },
        { timeoutMs: timeout() },
      );
      if (wrote.count <= 0) {
        throw new GuestAgentError(`guest-file-write to ${path} wrote nothing at offset ${offset}`, {
          kind: 'protocol',
          command: 'guest-file-write',
        });
      }
      offset += wrote.count;
    }
  });
}

/** Opens a guest file, runs `body`, and always closes the handle. */
async function withHandle<T>(
  client: GuestAgentClient,
  path: string,
  mode: string,
  options: FileOptions,
  body: (handle: number, timeout: () => number) => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_FILE_MS);
  const timeout = () => Math.max(1, deadline - Date.now());
  const handle = await client.execute<number>('guest-file-open', { path, mode }, { timeoutMs: timeout() });
  let result: T;
  try {
    result = await body(handle, timeout);
  } catch (err) {
    await client.execute('guest-file-close', { handle }, { timeoutMs: timeout() }).catch(() => undefined);
    throw err;
  }
  // A failed close (e.g. a flush error on write) must not pass silently.
  await client.execute('guest-file-close', { handle }, { timeoutMs: timeout() });
  return result;
}
