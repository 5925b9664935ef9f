// A `docker exec` as a raw byte pipe: stdin attached (hijacked connection, no TTY), stdout demultiplexed
// out of Docker's 8-byte frame headers, stderr kept aside for error messages. This is how the provider
// talks to QMP inside a container (`socat - UNIX-CONNECT:/run/windock/qmp.sock`); it works over every
// transport of provider/hosts (unix socket, TLS, SSH dial-stdio).
import { Duplex } from 'node:stream';
import type { DockerEngine, EngineExec } from './engine';

// ---- Docker's multiplexed stream framing ---------------------------------------------------------------
// [stream(1) 0 0 0 size(4, big-endian)] payload... ; stream 0 = stdin, 1 = stdout, 2 = stderr.

export interface DockerFrame {
  stream: 0 | 1 | 2;
  data: Buffer;
}

export class DockerFrameError extends Error {}

/** Incremental demultiplexer: feed it chunks cut anywhere, get whole frames back (payloads may be split). */
export class DockerFrameDemuxer {
  private header = Buffer.alloc(0);
  private stream: 0 | 1 | 2 = 1;
  private remaining = 0;

  /** Payload pieces in order; a frame's payload may come back in several pieces. */
  push(chunk: Buffer): DockerFrame[] {
    const out: DockerFrame[] = [];
    let off = 0;
    while (off < chunk.length) {
      if (this.remaining === 0) {
        const need = 8 - this.header.length;
        const take = Math.min(need, chunk.length - off);
        this.header = Buffer.concat([this.header, chunk.subarray(off, off + take)]);
        off += take;
        if (this.header.length < 8) break;
        const type = this.header[0];
        if (type !== 0 && type !== 1 && type !== 2) {
          throw new DockerFrameError(
            `not a multiplexed Docker stream (frame type ${type}); was the exec started with a TTY?`,
          );
        }
        this.stream = type;
        this.remaining = this.header.readUInt32BE(4);
        this.header = Buffer.alloc(0);
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - off);
      out.push({ stream: this.stream, data: chunk.subarray(off, off + take) });
      this.remaining -= take;
      off += take;
    }
    return out;
  }

  /** True between frames (nothing half-read). */
  get idle(): boolean {
    return this.remaining === 0 && this.header.length === 0;
  }
}

/** Encodes one frame (for tests and fakes). */
export function encodeDockerFrame(stream: 0 | 1 | 2, data: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h[0] = stream;
  h.writeUInt32BE(data.length, 4);
  return Buffer.concat([h, data]);
}

// ---- the exec stream -----------------------------------------------------------------------------------

export interface ExecStreamOptions {
  user?: string;
  env?: string[];
  workingDir?: string;
  privileged?: boolean;
  /** Bytes of stderr kept for messages (the last ones). Default 64 KiB. */
  stderrLimit?: number;
  /** How long exitCode() waits for Docker to report the process finished. Default 10000 ms. */
  exitTimeoutMs?: number;
}

export interface ExecStream extends Duplex {
  readonly execId: string;
  /** The exit code once the exec has ended (waits for the output to end first); null if unknown. */
  exitCode(): Promise<number | null>;
  /** stderr of the command so far (UTF-8, the last `stderrLimit` bytes). */
  stderrText(): string;
}

class DockerExecStream extends Duplex implements ExecStream {
  private readonly demux = new DockerFrameDemuxer();
  private stderr = Buffer.alloc(0);
  private readonly ended: Promise<void>;
  private exitPromise: Promise<number | null> | undefined;

  constructor(
    private readonly exec: EngineExec,
    private readonly socket: Duplex,
    private readonly opts: ExecStreamOptions,
  ) {
    // Ending our writable side half-closes the connection (stdin EOF) while output keeps coming.
    super({ allowHalfOpen: true });
    this.ended = new Promise((resolve) => {
      const done = () => resolve();
      socket.once('end', done);
      socket.once('close', done);
      socket.once('error', done);
    });
    socket.on('data', (chunk: Buffer) => {
      let frames: DockerFrame[];
      try {
        frames = this.demux.push(chunk);
      } catch (err) {
        this.destroy(err as Error);
        return;
      }
      for (const f of frames) {
        if (f.stream === 2) this.keepStderr(f.data);
        else if (f.stream === 1 && !this.push(f.data)) socket.pause();
      }
    });
    socket.once('end', () => this.push(null));
    socket.once('close', () => {
      if (!this.readableEnded) this.push(null);
    });
    socket.on('error', (err: Error) => this.destroy(err));
  }

  get execId(): string {
    return this.exec.id;
  }

  private keepStderr(data: Buffer): void {
    const limit = this.opts.stderrLimit ?? 64 * 1024;
    this.stderr = Buffer.concat([this.stderr, data]);
    if (this.stderr.length > limit) this.stderr = this.stderr.subarray(this.stderr.length - limit);
    this.emit('stderr', data);
  }

  stderrText(): string {
    return this.stderr.toString('utf8');
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    // stdin of a hijacked, non-TTY exec is raw bytes (no framing).
    this.socket.write(chunk, enc, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.socket.end(); // half-close: the process sees EOF on stdin
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.socket.destroy();
    cb(err);
  }

  exitCode(): Promise<number | null> {
    this.exitPromise ??= this.waitExit();
    return this.exitPromise;
  }

  private async waitExit(): Promise<number | null> {
    await this.ended;
    const deadline = Date.now() + (this.opts.exitTimeoutMs ?? 10000);
    for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
      const info = await this.exec.inspect();
      if (!info.Running) return typeof info.ExitCode === 'number' ? info.ExitCode : null;
      if (Date.now() > deadline) return null;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/**
 * Starts `cmd` in a running container with stdin attached and returns a Duplex of raw bytes: what you
 * write is the process's stdin (end() closes it), what you read is its stdout. The stream ends when the
 * process's output ends; exitCode() then tells how it exited.
 */
export async function openExecStream(
  docker: DockerEngine,
  containerId: string,
  cmd: string[],
  opts: ExecStreamOptions = {},
): Promise<ExecStream> {
  if (cmd.length === 0) throw new Error('openExecStream: cmd must not be empty');
  const exec = await docker.getContainer(containerId).exec({
    Cmd: cmd,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    ...(opts.user !== undefined ? { User: opts.user } : {}),
    ...(opts.env !== undefined ? { Env: opts.env } : {}),
    ...(opts.workingDir !== undefined ? { WorkingDir: opts.workingDir } : {}),
    ...(opts.privileged !== undefined ? { Privileged: opts.privileged } : {}),
  });
  const socket = await exec.start({ hijack: true, stdin: true, Detach: false, Tty: false });
  socket.on('error', () => undefined); // reported through the ExecStream
  return new DockerExecStream(exec, socket, opts);
}
