import { RfbHandshake, RfbViolation } from './rfb-handshake';

/**
 * Enforces view-only on the server side: noVNC's viewOnly flag is only a client courtesy, so
 * the proxy follows the RFB handshake in both directions (RfbHandshake: where the client's
 * messages start depends on the version the server negotiated) and then parses the
 * client-to-server stream, dropping every input message (keys, pointer, clipboard, resize,
 * QEMU extended keys). Anything it cannot parse throws RfbViolation: the connection closes.
 */
export class ViewOnlyFilter {
  private readonly handshake = new RfbHandshake();
  private buffer = Buffer.alloc(0);
  /** Bytes of a dropped message still to come: discarded as they arrive, never buffered. */
  private skipLeft = 0;

  /** Observes server bytes; returns client bytes that may now reach the server. */
  fromServer(chunk: Buffer): Buffer {
    if (this.handshake.done) return Buffer.alloc(0);
    const out = this.handshake.fromServer(chunk);
    return this.handshake.done ? Buffer.concat([out, this.messages(this.handshake.takeRest())]) : out;
  }

  /** Returns the client bytes that may reach the VNC server, or throws RfbViolation. */
  fromClient(chunk: Buffer): Buffer {
    if (this.handshake.done) return this.messages(chunk);
    const out = this.handshake.fromClient(chunk);
    return this.handshake.done ? Buffer.concat([out, this.messages(this.handshake.takeRest())]) : out;
  }

  private messages(chunk: Buffer): Buffer {
    const out: Buffer[] = [];
    let data = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (this.skipLeft > 0) {
        const skip = Math.min(this.skipLeft, data.length);
        this.skipLeft -= skip;
        data = data.subarray(skip);
        if (this.skipLeft > 0) break;
      }
      const length = messageLength(data);
      if (length === undefined) break;
      if (length.allowed) {
        if (data.length < length.bytes) break;
        out.push(data.subarray(0, length.bytes));
        data = data.subarray(length.bytes);
      } else {
        // A dropped message (a large clipboard paste, say) is skipped as it streams in.
        this.skipLeft = length.bytes;
      }
    }
    this.buffer = Buffer.from(data);
    return Buffer.concat(out);
  }
}

interface MessageLength {
  bytes: number;
  allowed: boolean;
}

/** Length of the next client message, or undefined when more bytes are needed to know it. */
function messageLength(data: Buffer): MessageLength | undefined {
  if (data.length < 1) return undefined;
  const type = data[0]!;
  const need = (n: number) => data.length >= n;
  switch (type) {
    case 0: // SetPixelFormat
      return { bytes: 20, allowed: true };
    case 2: // SetEncodings
      return need(4) ? { bytes: 4 + 4 * data.readUInt16BE(2), allowed: true } : undefined;
    case 3: // FramebufferUpdateRequest
      return { bytes: 10, allowed: true };
    case 4: // KeyEvent
      return { bytes: 8, allowed: false };
    case 5: // PointerEvent
      return { bytes: 6, allowed: false };
    case 6: // ClientCutText; a negative length is the extended clipboard (|length| bytes follow)
      return need(8) ? { bytes: 8 + Math.abs(data.readInt32BE(4)), allowed: false } : undefined;
    case 150: // EnableContinuousUpdates
      return { bytes: 10, allowed: true };
    case 248: // ClientFence
      return need(9) ? { bytes: 9 + data[8]!, allowed: true } : undefined;
    case 251: // SetDesktopSize
      return need(8) ? { bytes: 8 + 16 * data[6]!, allowed: false } : undefined;
    case 255: // QEMU client message
      if (!need(2)) return undefined;
      if (data[1] === 0) return { bytes: 12, allowed: false }; // extended key event
      if (data[1] === 1) {
        if (!need(4)) return undefined;
        return { bytes: data.readUInt16BE(2) === 2 ? 10 : 4, allowed: true }; // audio control
      }
      throw new RfbViolation(`unknown QEMU client message subtype ${data[1]}`);
    default:
      throw new RfbViolation(`unknown RFB client message type ${type}`);
  }
}
