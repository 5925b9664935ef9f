import net from 'node:net';

export interface ConnectUnixOptions {
  /** Give up after this long. Default 10 s. */
  timeoutMs?: number;
}

/** Opens a unix stream socket and resolves once connected (errors reject, never throw). */
export function connectUnix(path: string, options: ConnectUnixOptions = {}): Promise<net.Socket> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ path });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect to unix socket ${path} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const onError = (err: Error) => {
      clearTimeout(timer);
      reject(new Error(`connect to unix socket ${path} failed: ${err.message}`, { cause: err }));
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      // Until the caller attaches its own listener, an early error must not crash the
      // process; the socket still closes and readers see that.
      socket.on('error', () => {});
      resolve(socket);
    });
  });
}
