export type GuestAgentErrorKind =
  /** The agent answered with `{"error": ...}`. */
  | 'agent'
  /** No answer (or the guest process did not finish) within the deadline. */
  | 'timeout'
  /** The stream closed or failed. */
  | 'closed'
  /** The agent's answer did not have the expected shape. */
  | 'protocol';

export interface GuestAgentErrorDetails {
  kind: GuestAgentErrorKind;
  command?: string;
  /** QAPI error class, for kind `agent`. */
  errorClass?: string;
  desc?: string;
  cause?: unknown;
}

export class GuestAgentError extends Error {
  override readonly name: string = 'GuestAgentError';
  readonly kind: GuestAgentErrorKind;
  readonly command: string | undefined;
  readonly errorClass: string | undefined;
  readonly desc: string | undefined;

  constructor(message: string, details: GuestAgentErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.command = details.command;
    this.errorClass = details.errorClass;
    this.desc = details.desc;
  }
}
