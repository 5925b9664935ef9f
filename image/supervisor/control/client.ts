import { connect } from 'node:net';
import { RUNTIME_PATHS } from '../../../contract';

/**
 * `windock-supervisor control '<json>'`: sends one request to the control channel, prints the
 * answer line, and exits 0 when it is ok, 1 when it is not, 2 when the channel cannot be reached.
 */
export async function controlCommand(request: string | undefined, timeoutMs = 120_000): Promise<number> {
  if (!request) {
    process.stderr.write('usage: windock-supervisor control \'{"command":"record-status"}\'\n');
    return 2;
  }
  return new Promise((resolve) => {
    const socket = connect(RUNTIME_PATHS.control);
    let buffered = '';
    const timer = setTimeout(() => {
      process.stderr.write(`control channel: no answer within ${timeoutMs / 1000} s\n`);
      socket.destroy();
      resolve(2);
    }, timeoutMs);
    socket.on('connect', () => socket.write(`${request.replace(/\n/g, ' ')}\n`));
    socket.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      const end = buffered.indexOf('\n');
      if (end < 0) return;
      clearTimeout(timer);
      const line = buffered.slice(0, end);
      process.stdout.write(`${line}\n`);
      socket.end();
      let ok: boolean;
      try {
        ok = (JSON.parse(line) as { ok?: unknown }).ok === true;
      } catch {
        ok = false;
      }
      resolve(ok ? 0 : 1);
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      process.stderr.write(
        `control channel ${RUNTIME_PATHS.control} not reachable (${error.message}): is the VM running?\n`,
      );
      resolve(2);
    });
  });
}
