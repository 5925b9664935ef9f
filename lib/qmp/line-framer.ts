/**
 * Splits a byte stream into newline-terminated lines (QMP and the guest agent both send one
 * JSON object per line, QEMU with `\r\n`). Chunks may end anywhere, even inside a UTF-8
 * sequence, so bytes are buffered and decoded per complete line.
 *
 * A 0xFF byte (the guest agent's `guest-sync-delimited` marker, never valid in UTF-8 JSON)
 * drops everything before it on the current line and flags the rest as `delimited`.
 */
export interface Frame {
  text: string;
  delimited: boolean;
}

export class FramingError extends Error {
  override readonly name: string = 'FramingError';
}

const LF = 0x0a;
const DELIMITER = 0xff;
const DEFAULT_MAX_LINE_BYTES = 128 * 1024 * 1024;

export class LineFramer {
  private parts: Buffer[] = [];
  private size = 0;
  private delimited = false;

  constructor(private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES) {}

  push(chunk: Buffer | string): Frame[] {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const frames: Frame[] = [];
    let start = 0;
    while (start < buf.length) {
      const lf = buf.indexOf(LF, start);
      const end = lf === -1 ? buf.length : lf;
      const ff = end > start ? buf.lastIndexOf(DELIMITER, end - 1) : -1;
      if (ff >= start) {
        this.parts = [];
        this.size = 0;
        this.delimited = true;
        start = ff + 1;
      }
      this.append(buf.subarray(start, end));
      if (lf === -1) break;
      const text = this.take().trim();
      if (text.length > 0) frames.push({ text, delimited: this.delimited });
      this.delimited = false;
      start = lf + 1;
    }
    return frames;
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.size += bytes.length;
    if (this.size > this.maxLineBytes) {
      this.parts = [];
      this.size = 0;
      throw new FramingError(`line longer than ${this.maxLineBytes} bytes`);
    }
    this.parts.push(bytes);
  }

  private take(): string {
    const text = Buffer.concat(this.parts, this.size).toString('utf8');
    this.parts = [];
    this.size = 0;
    return text;
  }
}
