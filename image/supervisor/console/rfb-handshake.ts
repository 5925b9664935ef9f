/** A stream the view-only guard refuses: the connection is closed. */
export class RfbViolation extends Error {}

export type RfbVersion = 3 | 7 | 8;

const VERSIONS: Record<string, RfbVersion> = {
  'RFB 003.003\n': 3,
  'RFB 003.007\n': 7,
  'RFB 003.008\n': 8,
};

/** The security type "None", the only one QEMU's unix VNC socket offers the console. */
const SECURITY_NONE = 1;
/** Client bytes held while the handshake waits for the server: a real client sends a few. */
const MAX_HELD = 4096;

function parseVersion(bytes: Buffer, who: string): RfbVersion {
  const version = VERSIONS[bytes.toString('latin1')];
  if (version === undefined) throw new RfbViolation(`unsupported ${who} RFB version`);
  return version;
}

/**
 * Follows both directions of an RFB handshake to know where the client's messages start, as
 * the server sees it: the version the server negotiated decides whether the client sends a
 * security type (3.7, 3.8) or not (3.3, where the server picks it). Client bytes whose meaning
 * depends on what the server has not said yet are held until it has. Only "None" security is
 * followed; anything else, or a version other than 3.3, 3.7 and 3.8, is a violation.
 */
export class RfbHandshake {
  private server = Buffer.alloc(0);
  private client = Buffer.alloc(0);
  private serverVersion: RfbVersion | undefined;
  private version: RfbVersion | undefined;
  /** The server's security: offered types (3.7+) or the chosen one (3.3), once read. */
  private security: number[] | undefined;
  private clientStep: 'version' | 'security' | 'init' | 'done' = 'version';

  get done(): boolean {
    return this.clientStep === 'done';
  }

  /** Client bytes after the handshake (its first messages), handed on once `done`. */
  takeRest(): Buffer {
    const rest = this.client;
    this.client = Buffer.alloc(0);
    return rest;
  }

  /** Observes server bytes; returns client handshake bytes that may now pass. */
  fromServer(chunk: Buffer): Buffer {
    if (this.security !== undefined) return Buffer.alloc(0);
    this.server = Buffer.concat([this.server, chunk]);
    this.readServer();
    return this.advanceClient();
  }

  /** Takes client bytes; returns the handshake bytes that may pass now. */
  fromClient(chunk: Buffer): Buffer {
    this.client = Buffer.concat([this.client, chunk]);
    const out = this.advanceClient();
    if (!this.done && this.client.length > MAX_HELD)
      throw new RfbViolation('too many client bytes before the handshake ended');
    return out;
  }

  private readServer(): void {
    if (this.serverVersion === undefined) {
      if (this.server.length < 12) return;
      this.serverVersion = parseVersion(this.server.subarray(0, 12), 'server');
      this.server = this.server.subarray(12);
    }
    if (this.version === undefined) return; // the server answers the client's version
    if (this.version === 3) {
      if (this.server.length < 4) return;
      const type = this.server.readUInt32BE(0);
      if (type !== SECURITY_NONE) throw new RfbViolation(`server security type ${type} (3.3)`);
      this.security = [type];
    } else {
      if (this.server.length < 1) return;
      const count = this.server[0]!;
      if (count === 0) throw new RfbViolation('the server refused the connection');
      if (this.server.length < 1 + count) return;
      this.security = [...this.server.subarray(1, 1 + count)];
    }
    this.server = Buffer.alloc(0);
  }

  private advanceClient(): Buffer {
    const out: Buffer[] = [];
    const take = (n: number) => {
      const bytes = this.client.subarray(0, n);
      this.client = this.client.subarray(n);
      out.push(bytes);
      return bytes;
    };
    for (;;) {
      if (this.clientStep === 'version') {
        if (this.serverVersion === undefined || this.client.length < 12) break;
        const client = parseVersion(take(12), 'client');
        this.version = Math.min(client, this.serverVersion) as RfbVersion;
        this.clientStep = 'security';
        this.readServer();
      } else if (this.clientStep === 'security') {
        if (this.security === undefined) break;
        if (this.version !== 3) {
          if (this.client.length < 1) break;
          const type = take(1)[0]!;
          if (type !== SECURITY_NONE || !this.security.includes(type))
            throw new RfbViolation(`client security type ${type}`);
        }
        this.clientStep = 'init';
      } else if (this.clientStep === 'init') {
        if (this.client.length < 1) break;
        take(1); // ClientInit (shared flag)
        this.clientStep = 'done';
      } else break;
    }
    return Buffer.concat(out);
  }
}
