import { QmpConnectionError, QmpTimeoutError } from './errors';
import type { QmpEvent } from './types';

export type QmpEventListener = (event: QmpEvent) => void;

export interface WaitForEventOptions {
  predicate?: (event: QmpEvent) => boolean;
  timeoutMs?: number;
  /**
   * A `mark()` taken before the action that causes the event. Events received after the
   * mark are matched too, so `mark(); await execute(...); await waitFor(..., { since })`
   * cannot miss an event that arrived before the command's reply.
   */
  since?: number;
}

const ANY = '*';
const HISTORY_SIZE = 1024;
const DEFAULT_WAIT_MS = 30_000;

/**
 * Event fan-out for one QMP connection: listeners by name (or `*`), a short history with
 * receive sequence numbers, and race-free waiting.
 */
export class QmpEventHub {
  private readonly listeners = new Map<string, Set<QmpEventListener>>();
  private readonly history: QmpEvent[] = [];
  private seq = 0;
  private closedBy: Error | undefined;
  private readonly closeHooks = new Set<(err: Error) => void>();

  /** Subscribe; returns the unsubscribe function. `name` `*` receives every event. */
  on(name: string, listener: QmpEventListener): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => this.off(name, listener);
  }

  once(name: string, listener: QmpEventListener): () => void {
    const off = this.on(name, (event) => {
      off();
      listener(event);
    });
    return off;
  }

  off(name: string, listener: QmpEventListener): void {
    this.listeners.get(name)?.delete(listener);
  }

  /** Sequence number of the latest event received so far (0 if none). */
  mark(): number {
    return this.seq;
  }

  /** Events still kept (the last 1024), oldest first. */
  recent(): readonly QmpEvent[] {
    return this.history;
  }

  /**
   * Resolves with the first matching event: from history when `since` is given, else
   * the next one to arrive. The subscription exists as soon as this returns, so the
   * promise may also be created before sending the command that causes the event.
   */
  waitFor(name: string, options: WaitForEventOptions = {}): Promise<QmpEvent> {
    const { predicate = () => true, timeoutMs = DEFAULT_WAIT_MS, since } = options;
    const matches = (e: QmpEvent) => e.event === name && predicate(e);
    if (since !== undefined) {
      const hit = this.history.find((e) => e.seq > since && safePredicate(matches, e));
      if (hit) return Promise.resolve(hit);
    }
    if (this.closedBy) return Promise.reject(this.closedError(name, this.closedBy));
    return new Promise<QmpEvent>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        unsubscribe();
        this.closeHooks.delete(onClose);
      };
      const unsubscribe = this.on(name, (e) => {
        if (!safePredicate(matches, e)) return;
        finish();
        resolve(e);
      });
      const onClose = (err: Error) => {
        finish();
        reject(this.closedError(name, err));
      };
      this.closeHooks.add(onClose);
      const timer = setTimeout(() => {
        finish();
        reject(new QmpTimeoutError(`no QMP event '${name}' within ${timeoutMs} ms`, timeoutMs));
      }, timeoutMs);
    });
  }

  /** @internal Called by the client for each event line. */
  emit(raw: Omit<QmpEvent, 'seq'>): QmpEvent {
    const event: QmpEvent = { ...raw, seq: ++this.seq };
    this.history.push(event);
    if (this.history.length > HISTORY_SIZE) this.history.shift();
    for (const name of [event.event, ANY]) {
      for (const listener of [...(this.listeners.get(name) ?? [])]) {
        // A throwing listener must not break the connection's read loop.
        try {
          listener(event);
        } catch {
          /* ignored on purpose */
        }
      }
    }
    return event;
  }

  /** @internal Called by the client once the connection is gone: fails pending waits. */
  close(reason: Error): void {
    if (this.closedBy) return;
    this.closedBy = reason;
    for (const hook of [...this.closeHooks]) hook(reason);
  }

  private closedError(name: string, cause: Error): QmpConnectionError {
    return new QmpConnectionError(
      `QMP connection closed while waiting for event '${name}': ${cause.message}`,
      {
        cause,
      },
    );
  }
}

function safePredicate(matches: (e: QmpEvent) => boolean, e: QmpEvent): boolean {
  try {
    return matches(e);
  } catch {
    return false;
  }
}
