import type { Duplex } from 'node:stream';
import { QmpConnectionError, QmpError, QmpProtocolError, QmpTimeoutError } from './errors';
import { QmpEventHub, type WaitForEventOptions } from './event-hub';
import { hmpErrorText } from './hmp';
import { LineFramer } from './line-framer';
import type { QmpErrorBody, QmpEvent, QmpGreeting } from './types';

export interface QmpConnectOptions {
  /** Deadline for the greeting plus `qmp_capabilities`. Default 10 s. */
  timeoutMs?: number;
  /** Default deadline of each command (queue time included). Default 30 s. */
  commandTimeoutMs?: number;
  /** Commands on the wire at once; the rest wait in a queue. Default 8. */
  maxInFlight?: number;
}

export interface ExecuteOptions {
  timeoutMs?: number;
}

export interface ExecuteAndWaitOptions extends ExecuteOptions {
  predicate?: (event: QmpEvent) => boolean;
  /** Deadline for the event after the reply. Default: the command's timeout. */
  eventTimeoutMs?: number;
}

interface Pending {
  id: string;
  command: string;
  line: string;
  timer: NodeJS.Timeout;
  /** `quit`: QEMU may close the socket before (or instead of) replying. */
  closeIsSuccess: boolean;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

const DEFAULT_CONNECT_MS = 10_000;
const DEFAULT_COMMAND_MS = 30_000;
const DEFAULT_MAX_IN_FLIGHT = 8;
const CLOSE_WAIT_MS = 2_000;

let clientCounter = 0;

/**
 * A QMP client over any byte stream: a unix socket, or the stdio of
 * `socat - UNIX-CONNECT:/run/windock/qmp.sock` run through `docker exec`.
 * Replies are matched to commands by id only; events go to `events`.
 */
export class QmpClient {
  readonly events = new QmpEventHub();
  /** Resolves (never rejects) with the reason once the connection is over. */
  readonly closed: Promise<Error>;

  private readonly framer = new LineFramer();
  private readonly queue: Pending[] = [];
  private readonly inFlight = new Map<string, Pending>();
  private readonly idPrefix = `windock-${process.pid}-${++clientCounter}`;
  private readonly commandTimeoutMs: number;
  private readonly maxInFlight: number;
  private nextId = 0;
  private greetingValue: QmpGreeting | undefined;
  private greetingWaiter: { resolve(g: QmpGreeting): void; reject(err: Error): void } | undefined;
  private closeReason: Error | undefined;
  private resolveClosed!: (reason: Error) => void;

  private constructor(
    private readonly stream: Duplex,
    options: QmpConnectOptions,
  ) {
    this.commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_MS;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    stream.on('data', (chunk: Buffer | string) => this.onData(chunk));
    stream.on('error', (err: Error) =>
      this.fail(new QmpConnectionError(`QMP stream error: ${err.message}`, { cause: err })),
    );
    stream.on('end', () => this.fail(new QmpConnectionError('QMP peer closed the connection')));
    stream.on('close', () => this.fail(new QmpConnectionError('QMP connection closed')));
  }

  /** Reads the greeting, negotiates capabilities, and returns a ready client. */
  static async connect(stream: Duplex, options: QmpConnectOptions = {}): Promise<QmpClient> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_MS;
    const deadline = Date.now() + timeoutMs;
    const client = new QmpClient(stream, options);
    try {
      await client.waitForGreeting(timeoutMs);
      await client.execute('qmp_capabilities', undefined, { timeoutMs: Math.max(1, deadline - Date.now()) });
    } catch (err) {
      client.fail(err as Error);
      throw err;
    }
    return client;
  }

  get greeting(): QmpGreeting {
    if (!this.greetingValue) throw new QmpProtocolError('no QMP greeting received');
    return this.greetingValue;
  }

  get isClosed(): boolean {
    return this.closeReason !== undefined;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  execute<T = unknown>(
    command: string,
    args?: Record<string, unknown>,
    options: ExecuteOptions = {},
  ): Promise<T> {
    return this.enqueue(command, args, options.timeoutMs ?? this.commandTimeoutMs, false) as Promise<T>;
  }

  /** Runs a command and waits for an event it causes, even one that arrives before the reply. */
  async executeAndWait<T = unknown>(
    command: string,
    args: Record<string, unknown> | undefined,
    eventName: string,
    options: ExecuteAndWaitOptions = {},
  ): Promise<{ result: T; event: QmpEvent }> {
    const since = this.events.mark();
    const result = await this.execute<T>(command, args, options);
    const event = await this.events.waitFor(eventName, {
      since,
      predicate: options.predicate,
      timeoutMs: options.eventTimeoutMs ?? options.timeoutMs ?? this.commandTimeoutMs,
    });
    return { result, event };
  }

  waitForEvent(name: string, options?: WaitForEventOptions): Promise<QmpEvent> {
    return this.events.waitFor(name, options);
  }

  /** Runs an HMP command line; HMP's error text becomes a `QmpError` (class `HmpError`). */
  async hmp(commandLine: string, options: ExecuteOptions = {}): Promise<string> {
    const output = await this.execute<string>(
      'human-monitor-command',
      { 'command-line': commandLine },
      options,
    );
    const error = hmpErrorText(output);
    if (error !== undefined) throw new QmpError(`human-monitor-command: ${commandLine}`, 'HmpError', error);
    return output;
  }

  /** Sends `quit`; QEMU may close the socket before replying, which counts as success. */
  async quit(options: ExecuteOptions = {}): Promise<void> {
    await this.enqueue('quit', undefined, options.timeoutMs ?? this.commandTimeoutMs, true);
    // Let QEMU close its end first, so `closed` tells the peer's story, not ours.
    await Promise.race([this.closed, unrefDelay(CLOSE_WAIT_MS)]);
    await this.settleClose(CLOSE_WAIT_MS);
  }

  /** Closes the connection; pending commands fail with `QmpConnectionError`. */
  async close(): Promise<void> {
    this.fail(new QmpConnectionError('QMP client closed by caller'));
    await this.settleClose(CLOSE_WAIT_MS);
  }

  private enqueue(
    command: string,
    args: Record<string, unknown> | undefined,
    timeoutMs: number,
    closeIsSuccess: boolean,
  ): Promise<unknown> {
    if (this.closeReason) {
      return Promise.reject(
        new QmpConnectionError(`QMP command '${command}' not sent: ${this.closeReason.message}`, {
          cause: this.closeReason,
        }),
      );
    }
    const id = `${this.idPrefix}-${++this.nextId}`;
    const line = JSON.stringify(
      args === undefined ? { execute: command, id } : { execute: command, arguments: args, id },
    );
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        id,
        command,
        line,
        closeIsSuccess,
        resolve,
        reject,
        timer: setTimeout(() => this.onTimeout(pending, timeoutMs), timeoutMs),
      };
      this.queue.push(pending);
      this.pump();
    });
  }

  private onTimeout(pending: Pending, timeoutMs: number): void {
    const queued = this.queue.indexOf(pending);
    if (queued >= 0) this.queue.splice(queued, 1);
    // Frees the slot even though QEMU may still answer: a wedged command must not
    // block the queue forever. A late reply finds no pending id and is dropped.
    this.inFlight.delete(pending.id);
    pending.reject(
      new QmpTimeoutError(`QMP command '${pending.command}' got no reply within ${timeoutMs} ms`, timeoutMs),
    );
    this.pump();
  }

  private pump(): void {
    while (!this.closeReason && this.inFlight.size < this.maxInFlight && this.queue.length > 0) {
      const pending = this.queue.shift()!;
      this.inFlight.set(pending.id, pending);
      this.write(pending.line);
    }
  }

  private write(line: string): void {
    const onError = (err: Error | null | undefined) => {
      if (err) this.fail(new QmpConnectionError(`QMP write failed: ${err.message}`, { cause: err }));
    };
    try {
      this.stream.write(`${line}\n`, onError);
    } catch (err) {
      onError(err as Error);
    }
  }

  private onData(chunk: Buffer | string): void {
    if (this.closeReason) return;
    let frames;
    try {
      frames = this.framer.push(chunk);
    } catch (err) {
      this.fail(new QmpProtocolError(`QMP framing: ${(err as Error).message}`));
      return;
    }
    for (const frame of frames) {
      let message: unknown;
      try {
        message = JSON.parse(frame.text);
      } catch {
        this.fail(new QmpProtocolError(`invalid JSON from QMP peer: ${frame.text.slice(0, 200)}`));
        return;
      }
      if (typeof message === 'object' && message !== null) this.onMessage(message as Record<string, unknown>);
      if (this.closeReason) return;
    }
  }

  private onMessage(message: Record<string, unknown>): void {
    if (this.greetingValue === undefined) {
      const qmp = message.QMP as QmpGreeting | undefined;
      if (!qmp || typeof qmp !== 'object') {
        this.fail(
          new QmpProtocolError(`expected a QMP greeting, got: ${JSON.stringify(message).slice(0, 200)}`),
        );
        return;
      }
      this.greetingValue = qmp;
      this.greetingWaiter?.resolve(qmp);
      return;
    }
    if (typeof message.event === 'string') {
      this.events.emit({
        event: message.event,
        data: (message.data as Record<string, unknown> | undefined) ?? {},
        timestamp: (message.timestamp as QmpEvent['timestamp'] | undefined) ?? {
          seconds: 0,
          microseconds: 0,
        },
      });
      return;
    }
    const pending = typeof message.id === 'string' ? this.inFlight.get(message.id) : undefined;
    if (!pending) return; // a late reply after a timeout, or not ours
    this.inFlight.delete(pending.id);
    clearTimeout(pending.timer);
    if ('error' in message) {
      const body = (message.error ?? {}) as Partial<QmpErrorBody>;
      pending.reject(
        new QmpError(pending.command, body.class ?? 'GenericError', body.desc ?? 'unknown error'),
      );
    } else {
      pending.resolve(message.return);
    }
    this.pump();
  }

  private waitForGreeting(timeoutMs: number): Promise<QmpGreeting> {
    if (this.greetingValue) return Promise.resolve(this.greetingValue);
    return new Promise((resolve, reject) => {
      const settle = (fn: () => void) => {
        clearTimeout(timer);
        this.greetingWaiter = undefined;
        fn();
      };
      const timer = setTimeout(
        () =>
          settle(() =>
            reject(
              new QmpTimeoutError(
                `no QMP greeting within ${timeoutMs} ms (QEMU serves one client per monitor: is another connected?)`,
                timeoutMs,
              ),
            ),
          ),
        timeoutMs,
      );
      this.greetingWaiter = {
        resolve: (greeting) => settle(() => resolve(greeting)),
        reject: (err) => settle(() => reject(err)),
      };
    });
  }

  /** Ends the connection once: settles every pending call and waiter, destroys the stream. */
  private fail(reason: Error): void {
    if (this.closeReason) return;
    this.closeReason = reason;
    const all = [...this.inFlight.values(), ...this.queue];
    this.inFlight.clear();
    this.queue.length = 0;
    for (const pending of all) {
      clearTimeout(pending.timer);
      if (pending.closeIsSuccess) pending.resolve(undefined);
      else
        pending.reject(
          new QmpConnectionError(`QMP command '${pending.command}' got no reply: ${reason.message}`, {
            cause: reason,
          }),
        );
    }
    this.greetingWaiter?.reject(reason);
    this.events.close(reason);
    this.resolveClosed(reason);
    if (!this.stream.destroyed) this.stream.destroy();
  }

  private async settleClose(waitMs: number): Promise<void> {
    if (!this.stream.destroyed) this.stream.destroy();
    if (this.stream.closed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      timer.unref();
      this.stream.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

function unrefDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
