/** Wire shapes of QMP, as far as this client reads them. */

export interface QmpVersion {
  qemu: { major: number; minor: number; micro: number };
  package: string;
}

export interface QmpGreeting {
  version: QmpVersion;
  capabilities: string[];
}

export interface QmpEvent<D = Record<string, unknown>> {
  event: string;
  data: D;
  timestamp: { seconds: number; microseconds: number };
  /** Local, strictly increasing receive order; compare with `QmpEventHub.mark()`. */
  seq: number;
}

export interface QmpErrorBody {
  class: string;
  desc: string;
}

/** Everything QEMU sends after the greeting: a reply (with our id), or an event. */
export type QmpMessage =
  | { event: string; data?: Record<string, unknown>; timestamp?: { seconds: number; microseconds: number } }
  | { id?: unknown; return: unknown }
  | { id?: unknown; error: QmpErrorBody };

export interface QmpStatus {
  status: string;
  running: boolean;
  singlestep?: boolean;
}
