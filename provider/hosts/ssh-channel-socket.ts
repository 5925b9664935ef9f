// An SSH exec channel running `docker system dial-stdio`, dressed as the socket Node's HTTP client
// expects: a Duplex with setTimeout/setNoDelay/setKeepAlive/ref/unref/destroySoon, 'close' always
// emitted, and typed errors when the channel or its connection fails.
import { Duplex } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import { HostAuthError, HostUnreachableError } from './errors';
import type { HostError } from './errors';
import type { TrackedChannel } from './ssh-connection';

const STDERR_KEEP = 8 * 1024;

export class SshChannelSocket extends Duplex implements TrackedChannel {
  /** Read by Node's http Agent (`socket.timeout !== agentTimeout`). */
  timeout: number | undefined;
  readonly connecting = false;
  private channel: ClientChannel | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refed = true;
  private stderr = Buffer.alloc(0);
  private gotData = false;
  private exitCode: number | null | undefined;
  private channelClosed = false;
  private readableDone = false;
  private pendingWrite: ((err?: Error | null) => void) | undefined;

  constructor(
    private readonly hostName: string,
    private readonly label: string,
    private readonly command: string,
  ) {
    super({ allowHalfOpen: false });
  }

  /** Attach the opened channel (done right after construction; split so the connection can track us first). */
  attach(channel: ClientChannel): this {
    this.channel = channel;
    channel.on('data', (chunk: Buffer) => {
      this.gotData = true;
      this.touch();
      if (!this.push(chunk)) channel.pause();
    });
    channel.stderr.on('data', (chunk: Buffer) => {
      this.stderr = Buffer.concat([this.stderr, chunk]);
      if (this.stderr.length > STDERR_KEEP)
        this.stderr = this.stderr.subarray(this.stderr.length - STDERR_KEEP);
    });
    channel.on('exit', (code: number | null) => {
      this.exitCode = code;
    });
    channel.on('drain', () => this.flushPending());
    channel.on('error', (err: Error) => {
      this.destroy(
        new HostUnreachableError(this.hostName, `${this.label}: SSH channel failed: ${err.message}`, {
          cause: err,
        }),
      );
    });
    // Before any output, EOF can come ahead of the exit status: wait for 'close' then, so a
    // command that failed (no engine behind dial-stdio) reports its stderr, not a hang-up.
    channel.on('end', () => {
      if (this.gotData) this.endReadable();
    });
    channel.on('close', () => this.onChannelClose());
    return this;
  }

  /** Remote stderr of the channel's command (last 8 KiB). */
  stderrText(): string {
    return this.stderr.toString('utf8').trim();
  }

  connectionLost(err: HostError): void {
    if (!this.destroyed) this.destroy(err);
  }

  private onChannelClose(): void {
    this.channelClosed = true;
    this.flushPending(new HostUnreachableError(this.hostName, `${this.label}: the SSH channel closed`));
    if (!this.gotData && this.exitCode !== undefined && this.exitCode !== 0) {
      this.destroy(this.commandFailure());
      return;
    }
    this.endReadable();
    // Once everything buffered has been read the stream ends and auto-destroys. If nothing is
    // buffered, make sure 'close' still comes, so an http.Agent drops this socket from its pool.
    setImmediate(() => {
      if (!this.destroyed && this.readableLength === 0) this.destroy();
    });
  }

  private commandFailure(): HostError {
    const err = this.stderrText();
    const detail = err ? `: ${err}` : '';
    if (/permission denied/i.test(err)) {
      return new HostAuthError(
        this.hostName,
        `${this.label}: the SSH user may not use the Docker engine (\`${this.command}\` failed${detail}); ` +
          'add the user to the docker group on the host',
      );
    }
    if (this.exitCode === 127) {
      return new HostUnreachableError(
        this.hostName,
        `${this.label}: \`${this.command}\` not found on the host${detail}; install the docker CLI there`,
      );
    }
    return new HostUnreachableError(
      this.hostName,
      `${this.label}: \`${this.command}\` exited with ${this.exitCode}${detail}; is the Docker engine running on the host?`,
    );
  }

  private endReadable(): void {
    if (this.readableDone) return;
    this.readableDone = true;
    this.push(null);
  }

  private flushPending(err?: Error): void {
    const cb = this.pendingWrite;
    this.pendingWrite = undefined;
    cb?.(err ?? null);
  }

  override _read(): void {
    this.channel?.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    const ch = this.channel;
    if (!ch || this.channelClosed) {
      cb(new HostUnreachableError(this.hostName, `${this.label}: the SSH channel is closed`));
      return;
    }
    this.touch();
    if (ch.write(chunk)) cb();
    else this.pendingWrite = cb;
  }

  override _final(cb: (err?: Error | null) => void): void {
    // Half-close: EOF on the channel; dial-stdio turns it into a CloseWrite towards the engine.
    if (this.channel && !this.channelClosed) this.channel.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.clearTimer();
    this.flushPending(err ?? new HostUnreachableError(this.hostName, `${this.label}: socket destroyed`));
    const ch = this.channel;
    if (ch && !this.channelClosed) {
      try {
        ch.close();
      } catch {
        // the connection is already gone
      }
    }
    cb(err);
  }

  // ---- the net.Socket surface Node's HTTP client and Agent use --------------------------------------

  setTimeout(ms: number, callback?: () => void): this {
    this.timeout = ms;
    if (callback) {
      if (ms === 0) this.removeListener('timeout', callback);
      else this.once('timeout', callback);
    }
    this.touch();
    return this;
  }

  private touch(): void {
    this.clearTimer();
    if (!this.timeout || this.destroyed) return;
    this.timer = setTimeout(() => this.emit('timeout'), this.timeout);
    if (!this.refed) this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  setNoDelay(_noDelay?: boolean): this {
    return this;
  }

  setKeepAlive(_enable?: boolean, _initialDelay?: number): this {
    return this;
  }

  ref(): this {
    this.refed = true;
    this.timer?.ref();
    return this;
  }

  unref(): this {
    this.refed = false;
    this.timer?.unref();
    return this;
  }

  destroySoon(): void {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once('finish', () => this.destroy());
  }

  get remoteAddress(): string {
    return this.label;
  }
}
