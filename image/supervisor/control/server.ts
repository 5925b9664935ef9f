import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { controlRequest, type ControlRequest, type ControlResponse } from '../../../contract/control';

export type ControlHandler = (request: ControlRequest) => Promise<ControlResponse>;

/** One request line in, one answer line out. Never throws: every failure becomes `ok: false`. */
export async function answer(line: string, handler: ControlHandler): Promise<ControlResponse> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, error: 'the request is not JSON: send one JSON object per line' };
  }
  const parsed = controlRequest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return {
      ok: false,
      error: `invalid request: ${where}${issue?.message ?? 'unknown'} (commands: record-start, record-stop, record-status, record-list)`,
    };
  }
  try {
    return await handler(parsed.data);
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/**
 * The supervisor's control channel: a unix socket (mode 0600, in the 0700 runtime folder), one
 * JSON request per line, each answered with one JSON line, in order.
 */
export function startControlServer(
  path: string,
  handler: ControlHandler,
  log: (line: string) => void,
): Server {
  if (existsSync(path)) unlinkSync(path);
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    const lines = createInterface({ input: socket, crlfDelay: Infinity });
    let queue = Promise.resolve();
    lines.on('line', (line) => {
      if (!line.trim()) return;
      queue = queue.then(async () => {
        const response = await answer(line, handler);
        if (!socket.destroyed) socket.write(`${JSON.stringify(response)}\n`);
      });
    });
  });
  server.on('error', (error) => log(`control channel: ${error.message}`));
  server.listen(path, () => chmodSync(path, 0o600));
  return server;
}
