// A raw RFB (VNC) client over the console's websocket: the handshake, framebuffer update
// requests, key events and an extended-clipboard message, byte by byte, without noVNC. Used
// to check what the console's server-side filter lets through.
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

/** The extended clipboard pseudo-encoding (0xC0A1E5CE). */
const EXTENDED_CLIPBOARD = -1063131698;

export class RawRfbClient {
  width = 0;
  height = 0;
  private bytesPerPixel = 4;
  private buffer = Buffer.alloc(0);
  private closed = false;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => (this.buffer = Buffer.concat([this.buffer, data])));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => (this.closed = true));
  }

  /**
   * Opens the websocket (with the session cookie) and completes the RFB handshake as a client
   * of `version` (3.3: the server picks the security type; 3.7: no security result; 3.8).
   */
  static async connect(url: string, cookie: string, version: 3 | 7 | 8 = 8): Promise<RawRfbClient> {
    const client = await RawRfbClient.open(url, cookie);
    try {
      await client.handshake(version);
    } catch (error) {
      client.socket.terminate();
      throw error;
    }
    return client;
  }

  /** Opens the websocket only: the test speaks (or mangles) RFB itself with sendRaw. */
  static async open(
    url: string,
    cookie: string,
    headers: Record<string, string> = {},
    /** wss: the certificate(s) to trust. */
    ca?: string,
  ): Promise<RawRfbClient> {
    const socket = new WebSocket(url, { headers: { Cookie: cookie, ...headers }, ...(ca ? { ca } : {}) });
    // Listen before 'open': the server's first bytes can come in the same read as the upgrade.
    const client = new RawRfbClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (request, response) => {
        request.destroy(); // ws leaves the refused request to whoever handles this event
        reject(new Error(`websocket refused: HTTP ${response.statusCode}`));
      });
    });
    return client;
  }

  /** Sends bytes as one websocket frame, as they are. */
  sendRaw(data: Buffer): void {
    this.send(data);
  }

  /** The next `n` bytes from the server. */
  readBytes(n: number, timeoutMs = 20_000): Promise<Buffer> {
    return this.read(n, timeoutMs);
  }

  /** Whether the server closed the connection within `timeoutMs`. */
  async closedWithin(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await sleep(50);
    return this.closed;
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === WebSocket.OPEN;
  }

  private async read(n: number, timeoutMs = 20_000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.buffer.length < n) {
      if (this.closed) throw new Error(`the console closed the connection (wanted ${n} bytes)`);
      if (Date.now() > deadline) throw new Error(`no ${n} bytes from the console within ${timeoutMs} ms`);
      await sleep(20);
    }
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return Buffer.from(out);
  }

  private send(data: Buffer): void {
    this.socket.send(data);
  }

  /** The server's version line, then this client's, then the security part of `version`. */
  private async handshake(version: 3 | 7 | 8): Promise<void> {
    const server = (await this.read(12)).toString('latin1');
    if (!/^RFB 003\.00\d\n$/.test(server)) throw new Error(`not an RFB server: ${JSON.stringify(server)}`);
    this.send(Buffer.from(`RFB 003.00${version}\n`));
    if (version === 3) {
      const type = (await this.read(4)).readUInt32BE(0);
      if (type !== 1) throw new Error(`the VNC server chose security type ${type}`);
    } else {
      const count = (await this.read(1))[0]!;
      const types = [...(await this.read(count))];
      if (!types.includes(1))
        throw new Error(`the VNC server wants authentication: types ${types.join(',')}`);
      this.send(Buffer.from([1]));
      if (version === 8) {
        const result = (await this.read(4)).readUInt32BE(0);
        if (result !== 0) throw new Error(`RFB security result ${result}`);
      }
    }
    this.send(Buffer.from([1])); // ClientInit, shared
    const init = await this.read(24);
    this.width = init.readUInt16BE(0);
    this.height = init.readUInt16BE(2);
    this.bytesPerPixel = init[4]! / 8;
    await this.read(init.readUInt32BE(20)); // the desktop name
    // Raw pixels, and the extended clipboard (as noVNC offers it): QEMU then announces its
    // clipboard capabilities, and a client answers with its own.
    this.setEncodings([0, EXTENDED_CLIPBOARD]);
  }

  private setEncodings(encodings: number[]): void {
    const message = Buffer.alloc(4 + 4 * encodings.length);
    message[0] = 2;
    message.writeUInt16BE(encodings.length, 2);
    encodings.forEach((encoding, i) => message.writeInt32BE(encoding, 4 + 4 * i));
    this.send(message);
  }

  /** FramebufferUpdateRequest (non-incremental) for the whole screen. */
  requestUpdate(): void {
    const message = Buffer.alloc(10);
    message[0] = 3;
    message.writeUInt16BE(this.width, 6);
    message.writeUInt16BE(this.height, 8);
    this.send(message);
  }

  /** Reads server messages until a FramebufferUpdate (raw encoding) is complete; returns its pixel bytes. */
  async readUpdate(timeoutMs = 20_000): Promise<number> {
    for (;;) {
      const type = (await this.read(1, timeoutMs))[0]!;
      if (type === 0) {
        const header = await this.read(3, timeoutMs);
        const rects = header.readUInt16BE(1);
        let pixels = 0;
        for (let i = 0; i < rects; i++) {
          const rect = await this.read(12, timeoutMs);
          const encoding = rect.readInt32BE(8);
          if (encoding !== 0) throw new Error(`unexpected encoding ${encoding} (only raw was offered)`);
          const size = rect.readUInt16BE(4) * rect.readUInt16BE(6) * this.bytesPerPixel;
          await this.read(size, timeoutMs);
          pixels += size;
        }
        return pixels;
      }
      if (type === 2) continue; // Bell
      if (type === 3) {
        const header = await this.read(7, timeoutMs);
        await this.read(Math.abs(header.readInt32BE(3)), timeoutMs);
        continue;
      }
      throw new Error(`unexpected server message type ${type}`);
    }
  }

  /** KeyEvent: press and release one X keysym. */
  tapKey(keysym: number): void {
    for (const down of [1, 0]) {
      const message = Buffer.alloc(8);
      message[0] = 4;
      message[1] = down;
      message.writeUInt32BE(keysym, 4);
      this.send(message);
    }
  }

  /** PointerEvent: a click at (x, y). */
  click(x: number, y: number): void {
    for (const mask of [1, 0]) {
      const message = Buffer.alloc(6);
      message[0] = 5;
      message[1] = mask;
      message.writeUInt16BE(x, 2);
      message.writeUInt16BE(y, 4);
      this.send(message);
    }
  }

  /**
   * ClientCutText in the extended-clipboard form noVNC sends after connecting: a negative
   * length (-8) followed by 8 bytes of capability flags.
   */
  sendExtendedClipboardCaps(): void {
    const message = Buffer.alloc(16);
    message[0] = 6;
    message.writeInt32BE(-8, 4);
    message.writeUInt32BE(0x1f000001, 8); // caps: text + request/peek/notify/provide
    message.writeUInt32BE(0x100000, 12);
    this.send(message);
  }

  close(): void {
    this.socket.terminate();
  }
}
