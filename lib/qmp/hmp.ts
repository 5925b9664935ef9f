/**
 * HMP reports failures as ordinary text in a successful `human-monitor-command` reply.
 * Most errors start with `Error:`; an unknown command prints `unknown command: ...`.
 * Returns the error text, or undefined when the output looks like success.
 */
export function hmpErrorText(output: string): string | undefined {
  const text = output.trim();
  return /^(Error:|unknown command:)/.test(text) ? text : undefined;
}
