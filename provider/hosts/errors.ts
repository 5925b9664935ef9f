// Typed errors for reaching a Docker host. Every message names the host and says how to fix it;
// none of them carries key material or credentials.

export abstract class HostError extends Error {
  abstract readonly code: string;
  constructor(
    readonly host: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The host's configuration is invalid or refers to something that cannot be read. */
export class HostConfigError extends HostError {
  readonly code = 'HOST_CONFIG';
}

/** The host (or its Docker engine behind the transport) could not be reached, or the link dropped. */
export class HostUnreachableError extends HostError {
  readonly code = 'HOST_UNREACHABLE';
}

export type HostKeyProblem = 'changed' | 'unknown' | 'revoked' | 'untrusted-certificate';

/**
 * The host presented an identity we do not trust (SSH host key or TLS server certificate).
 * Nothing is authenticated or sent when this is raised.
 */
export class HostKeyMismatchError extends HostError {
  readonly code = 'HOST_KEY_MISMATCH';
  constructor(
    host: string,
    readonly problem: HostKeyProblem,
    /** What the host presented, e.g. `SHA256:...` fingerprints, one per key tried. */
    readonly presented: string[],
    /** What the configuration expected. */
    readonly expected: string[],
    message: string,
    options?: { cause?: unknown },
  ) {
    super(host, message, options);
  }
}

/** We reached the host and trusted it, but it refused our credentials (key, agent, client certificate). */
export class HostAuthError extends HostError {
  readonly code = 'HOST_AUTH';
}

function isHostError(err: unknown): err is HostError {
  return err instanceof HostError;
}

export function errorMessage(err: unknown): string {
  const m = (err as { message?: unknown })?.message;
  return typeof m === 'string' ? m : String(err);
}

/**
 * Why a host's engine did not answer, as one sentence or more for a preview failure. Typed host
 * errors end with a period and carry their own fix (a host-key refusal says which key to verify),
 * so the generic hint is only for the rest; the message's own final period is dropped before
 * ours (it once read "... intercepting the connection.. Check ...", issue #23).
 */
export function engineUnreachableReason(hostName: string, error: unknown): string {
  const message = errorMessage(error)
    .trim()
    .replace(/[.\s]+$/, '');
  const ownFix = isHostError(error) && !(error instanceof HostUnreachableError);
  return (
    `cannot reach the Docker engine of "${hostName}": ${message}.` +
    (ownFix ? '' : ' Check the windock:hosts config and that the engine runs.')
  );
}
