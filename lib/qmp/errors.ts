/** QEMU answered a command with `{"error": {...}}` (or HMP printed an error). */
export class QmpError extends Error {
  override readonly name: string = 'QmpError';
  constructor(
    readonly command: string,
    readonly errorClass: string,
    readonly desc: string,
  ) {
    super(`QMP command '${command}' failed: ${errorClass}: ${desc}`);
  }
}

/** The connection broke (socket error, peer closed, client closed) before a reply came. */
export class QmpConnectionError extends Error {
  override readonly name: string = 'QmpConnectionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** No reply (or event) within the deadline. The connection itself stays usable. */
export class QmpTimeoutError extends Error {
  override readonly name: string = 'QmpTimeoutError';
  constructor(
    message: string,
    readonly timeoutMs: number,
  ) {
    super(message);
  }
}

/** The peer sent something that is not QMP (bad greeting, invalid JSON, oversized line). */
export class QmpProtocolError extends Error {
  override readonly name: string = 'QmpProtocolError';
}

/** A job (snapshot-save/-load/-delete) concluded with an error, read from `query-jobs`. */
export class QmpJobError extends Error {
  override readonly name: string = 'QmpJobError';
  constructor(
    readonly command: string,
    readonly jobId: string,
    readonly jobError: string,
  ) {
    super(`QMP job '${jobId}' (${command}) failed: ${jobError}`);
  }
}

/** `snapshot-load` failed; carries what `recoverAfterFailedLoad` needs. */
export class SnapshotLoadError extends QmpJobError {
  override readonly name: string = 'SnapshotLoadError';
  constructor(
    cause: QmpJobError,
    /** Whether the VM ran before the load was attempted. */
    readonly wasRunning: boolean,
    /** `query-status` right after the failure, e.g. `restore-vm` (paused) when the vmstate did not fit. */
    readonly statusAfter: { status: string; running: boolean },
  ) {
    super(cause.command, cause.jobId, cause.jobError);
    this.message = `${cause.message} (VM now '${statusAfter.status}', ${wasRunning ? 'was running' : 'was not running'})`;
  }
}
