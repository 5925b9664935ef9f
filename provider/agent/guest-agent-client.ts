import { randomInt } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { LineFramer, type Frame } from '../../lib/qmp/line-framer';
import { GuestAgentError } from './errors';
import { guestExec, type ExecOptions, type ExecResult } from './guest-exec';
import { fileRead, fileWrite, type FileOptions } from './guest-file';
import { getTime, setTime } from './guest-time';

export interface GuestAgentOptions {
  /** Default deadline of each call (waiting for earlier calls included). Default 30 s. */
  defaultTimeoutMs?: number;
}

export interface CallOptions {
  timeoutMs?: number;
}

export interface ShutdownOptions extends CallOptions {
  /** How long to listen for an error reply after sending. Default 1 s. */
  graceMs?: number;
}

export interface GuestInfo {
  version: string;
  supported_commands: { name: string; enabled: boolean; 'success-response': boolean }[];
}

export type ShutdownMode = 'powerdown' | 'halt' | 'reboot';

/** What the one outstanding request does with each frame, and when the stream dies. */
interface Waiter {
  onFrame(frame: Frame, message: Record<string, unknown>): void;
  onClose(reason: Error): void;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const SHUTDOWN_GRACE_MS = 1_000;
const SYNC_BYTE = Buffer.from([0xff]);

let clientCounter = 0;

/**
 * Client of the QEMU guest agent (qemu-ga, Linux or Windows) over any byte stream. The
 * agent has no greeting and handles one request at a time, so calls are serialized.
 * Each request carries an id that the agent echoes: replies to abandoned (timed-out)
 * requests are recognised and dropped. Call `sync()` first on a fresh stream.
 */
export class GuestAgentClient {
  /** Resolves (never rejects) with the reason once the stream is over. */
  readonly closed: Promise<Error>;

  private readonly framer = new LineFramer();
  private readonly defaultTimeoutMs: number;
  private readonly idPrefix = `windock-${process.pid}-${++clientCounter}`;
  private nextId = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private waiter: Waiter | undefined;
  private closeReason: Error | undefined;
  private resolveClosed!: (reason: Error) => void;

  constructor(
    private readonly stream: Duplex,
    options: GuestAgentOptions = {},
  ) {
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    stream.on('data', (chunk: Buffer | string) => this.onData(chunk));
    stream.on('error', (err: Error) =>
      this.fail(new Error(`guest agent stream error: ${err.message}`, { cause: err })),
    );
    stream.on('end', () => this.fail(new Error('guest agent peer closed the stream')));
    stream.on('close', () => this.fail(new Error('guest agent stream closed')));
  }

  /** Wraps a stream and synchronizes with the agent before returning. */
  static async connect(
    stream: Duplex,
    options: GuestAgentOptions & CallOptions = {},
  ): Promise<GuestAgentClient> {
    const client = new GuestAgentClient(stream, options);
    try {
      await client.sync({ timeoutMs: options.timeoutMs });
    } catch (err) {
      client.close();
      throw err;
    }
    return client;
  }

  get isClosed(): boolean {
    return this.closeReason !== undefined;
  }

  /**
   * Resynchronizes: sends 0xFF (resets the agent's parser) and `guest-sync-delimited`,
   * then drops everything (stale replies, noise) up to the 0xFF-prefixed reply with our id.
   */
  sync(options: CallOptions = {}): Promise<void> {
    const id = randomInt(1, 2 ** 31 - 1);
    const line = JSON.stringify({ execute: 'guest-sync-delimited', arguments: { id } });
    return this.request('guest-sync-delimited', options, (settle) => ({
      onFrame: (frame, message) => {
        if (frame.delimited && message.return === id) settle.resolve(undefined);
      },
      onClose: (reason) => settle.reject(closedError('guest-sync-delimited', reason)),
      payload: Buffer.concat([SYNC_BYTE, Buffer.from(`${line}\n`)]),
    })).then(() => undefined);
  }

  execute<T = unknown>(
    command: string,
    args?: Record<string, unknown>,
    options: CallOptions = {},
  ): Promise<T> {
    const id = `${this.idPrefix}-${++this.nextId}`;
    const line = JSON.stringify(
      args === undefined ? { execute: command, id } : { execute: command, arguments: args, id },
    );
    return this.request(command, options, (settle) => ({
      onFrame: (_frame, message) => {
        if (message.id !== id) return; // a stale reply, or noise
        if ('error' in message) settle.reject(agentError(command, message.error));
        else settle.resolve(message.return);
      },
      onClose: (reason) => settle.reject(closedError(command, reason)),
      payload: Buffer.from(`${line}\n`),
    })) as Promise<T>;
  }

  async ping(options?: CallOptions): Promise<void> {
    await this.execute('guest-ping', undefined, options);
  }

  info(options?: CallOptions): Promise<GuestInfo> {
    return this.execute<GuestInfo>('guest-info', undefined, options);
  }

  exec(path: string, args: string[] = [], options: ExecOptions = {}): Promise<ExecResult> {
    return guestExec(this, path, args, options);
  }

  getTime(options?: CallOptions): Promise<Date> {
    return getTime(this, options);
  }

  /** Sets the guest clock to `date`; without it the guest reloads its clock from the RTC. */
  setTime(date?: Date, options?: CallOptions): Promise<void> {
    return setTime(this, date, options);
  }

  fileRead(path: string, options?: FileOptions): Promise<Buffer> {
    return fileRead(this, path, options);
  }

  fileWrite(path: string, data: Buffer | string, options?: FileOptions): Promise<void> {
    return fileWrite(this, path, data, options);
  }

  /**
   * `guest-shutdown` sends no reply when it works. Resolves when the stream closes or
   * `graceMs` passes without an error reply; rejects if the agent refuses.
   */
  shutdown(mode: ShutdownMode = 'powerdown', options: ShutdownOptions = {}): Promise<void> {
    const id = `${this.idPrefix}-${++this.nextId}`;
    const line = JSON.stringify({ execute: 'guest-shutdown', arguments: { mode }, id });
    const graceMs = options.graceMs ?? SHUTDOWN_GRACE_MS;
    return this.request('guest-shutdown', options, (settle) => {
      const timer = setTimeout(() => settle.resolve(undefined), graceMs);
      const done = (fn: () => void) => {
        clearTimeout(timer);
        fn();
      };
      return {
        onFrame: (_frame, message) => {
          if (message.id !== id) return;
          if ('error' in message) done(() => settle.reject(agentError('guest-shutdown', message.error)));
          else done(() => settle.resolve(undefined));
        },
        onClose: () => done(() => settle.resolve(undefined)),
        payload: Buffer.from(`${line}\n`),
      };
    }).then(() => undefined);
  }

  /** Destroys the stream; a call in progress fails with kind `closed`. */
  close(): void {
    this.fail(new Error('guest agent client closed by caller'));
  }

  /**
   * Runs one exchange once earlier ones are done. The deadline starts now, so time
   * spent queued behind a slow call counts against it.
   */
  private request(
    command: string,
    options: CallOptions,
    start: (settle: Settle) => Waiter & { payload: Buffer },
  ): Promise<unknown> {
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    const run = () =>
      new Promise<unknown>((resolve, reject) => {
        if (this.closeReason) {
          reject(closedError(command, this.closeReason));
          return;
        }
        const remaining = deadline - Date.now();
        const finish = () => {
          clearTimeout(timer);
          if (this.waiter === waiter) this.waiter = undefined;
        };
        const settle: Settle = {
          resolve: (value) => {
            finish();
            resolve(value);
          },
          reject: (err) => {
            finish();
            reject(err);
          },
        };
        const timer = setTimeout(
          () =>
            settle.reject(
              new GuestAgentError(`guest agent command '${command}' got no reply within ${timeoutMs} ms`, {
                kind: 'timeout',
                command,
              }),
            ),
          Math.max(0, remaining),
        );
        const waiter = start(settle);
        this.waiter = waiter;
        this.write(waiter.payload);
      });
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private write(payload: Buffer): void {
    const onError = (err: Error | null | undefined) => {
      if (err) this.fail(new Error(`guest agent write failed: ${err.message}`, { cause: err }));
    };
    try {
      this.stream.write(payload, onError);
    } catch (err) {
      onError(err as Error);
    }
  }

  private onData(chunk: Buffer | string): void {
    if (this.closeReason) return;
    let frames: Frame[];
    try {
      frames = this.framer.push(chunk);
    } catch (err) {
      this.fail(new Error(`guest agent framing: ${(err as Error).message}`));
      return;
    }
    for (const frame of frames) {
      let message: unknown;
      try {
        message = JSON.parse(frame.text);
      } catch {
        continue; // noise on the channel (e.g. before a sync): skip it
      }
      if (typeof message === 'object' && message !== null) {
        this.waiter?.onFrame(frame, message as Record<string, unknown>);
      }
    }
  }

  private fail(reason: Error): void {
    if (this.closeReason) return;
    this.closeReason = reason;
    this.waiter?.onClose(reason);
    this.resolveClosed(reason);
    if (!this.stream.destroyed) this.stream.destroy();
  }
}

interface Settle {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

function agentError(command: string, body: unknown): GuestAgentError {
  const { class: errorClass = 'GenericError', desc = 'unknown error' } = (body ?? {}) as {
    class?: string;
    desc?: string;
  };
  return new GuestAgentError(`guest agent command '${command}' failed: ${errorClass}: ${desc}`, {
    kind: 'agent',
    command,
    errorClass,
    desc,
  });
}

function closedError(command: string, reason: Error): GuestAgentError {
  return new GuestAgentError(`guest agent command '${command}' got no reply: ${reason.message}`, {
    kind: 'closed',
    command,
    cause: reason,
  });
}
