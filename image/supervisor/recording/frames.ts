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
