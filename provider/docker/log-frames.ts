/**
 * Splits a non-TTY `docker logs` buffer into stdout and stderr: each frame is an 8-byte header
 * (stream, 3 padding bytes, big-endian length) followed by its payload.
 */
export function demuxDockerLogs(raw: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  for (let offset = 0; offset + 8 <= raw.length;) {
    const size = raw.readUInt32BE(offset + 4);
    (raw[offset] === 2 ? err : out).push(raw.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** The same buffer as one text, stdout and stderr interleaved in the order they were written. */
export function dockerLogText(raw: Buffer): string {
  const frames: Buffer[] = [];
  for (let offset = 0; offset + 8 <= raw.length;) {
    const size = raw.readUInt32BE(offset + 4);
    frames.push(raw.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(frames).toString('utf8');
}
