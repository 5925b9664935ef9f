// The guest console's last lines (the serial log), cleaned for a user's terminal: the guest
// controls these bytes, so escape sequences and control characters never reach the display.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[@-_]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/g;

const PANIC_HEADLINE = /Kernel panic|BUG: |Oops: |general protection fault/;

/** Bytes read from the end of the serial log: ~20 lines of kernel messages, bounded. */
export const CONSOLE_TAIL_BYTES = 8192;

/**
 * The last `max` non-empty lines of a chunk from the end of the console log. `truncated`: the
 * chunk does not start at the log's start, so its first line is partial and dropped.
 */
export function consoleLines(chunk: string, max = 20, truncated = false): string[] {
  const lines = chunk.replace(ESCAPES, '').split(/\r\n|\n|\r/);
  if (truncated) lines.shift();
  const kept = lines.map((line) => line.replace(CONTROLS, '').trimEnd()).filter((line) => line.trim() !== '');
  const last = kept.slice(-max);
  // A panic's headline comes before its stack trace: keep it even when the trace is longer.
  const headline = kept
    .slice(0, -max)
    .reverse()
    .find((line) => PANIC_HEADLINE.test(line));
  return headline ? [headline, '...', ...last.slice(2)] : last;
}

/** The block a failure shows: the lines, indented, or what to do when there are none. */
export function consoleBlock(lines: string[]): string {
  if (lines.length === 0)
    return 'The guest console (serial port) printed nothing: look at the screen (consoleUrl).';
  return `Last lines of the guest console (serial port):\n${lines.map((line) => `  | ${line}`).join('\n')}`;
}
