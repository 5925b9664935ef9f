/**
 * How many times to write the screenshot just taken so that the video keeps real time: one
 * frame per tick since the start, so a capture that took longer than a tick repeats its frame
 * for the ticks it missed. Always at least one. Pure.
 */
export function framesDue(elapsedMs: number, framesPerSecond: number, written: number): number {
  const expected = Math.floor((elapsedMs * framesPerSecond) / 1000) + 1;
  return Math.max(1, expected - written);
}

/** Width and height of a binary PPM (P6), the format of QMP `screendump`. Pure. */
export function ppmSize(data: Buffer): { width: number; height: number } {
  const header = /^P6\s+(?:#[^\n]*\n\s*)*(\d+)\s+(\d+)\s+(\d+)\s/.exec(
    data.subarray(0, 128).toString('latin1'),
  );
  if (!header) throw new Error('the screenshot is not a binary PPM image');
  return { width: Number(header[1]), height: Number(header[2]) };
}

/** The default name of a recording: its start time in UTC, usable as a file name. Pure. */
export function defaultRecordingName(at: Date): string {
  return at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
}

/** The file of a recording's segment: 1 is `<name>.<format>`, N > 1 `<name>.partN.<format>`. Pure. */
export function segmentFile(dir: string, name: string, format: string, segment: number): string {
  return `${dir}/${name}${segment > 1 ? `.part${segment}` : ''}.${format}`;
}

/**
 * Which recording a file in the recordings folder belongs to, and its segment: the inverse of
 * segmentFile (".partial" ignored). Captured sound is a recording of its own. Pure.
 */
export function recordingOfFile(fileName: string): { recording: string; segment: number } {
  const base = fileName.replace(/\.partial$/, '').replace(/\.(webm|mp4|wav)$/, '');
  const part = /^(.+)\.part([0-9]+)$/.exec(base);
  return part ? { recording: part[1]!, segment: Number(part[2]) } : { recording: base, segment: 1 };
}
