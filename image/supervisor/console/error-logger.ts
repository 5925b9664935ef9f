export type FailureLogger = (what: string, error: unknown) => void;

/** Logs the first errors of a kind, then only every thousandth: a flood does not fill the log. */
export function errorLogger(log: (line: string) => void): FailureLogger {
  let count = 0;
  return (what, error) => {
    count++;
    if (count <= 10 || count % 1000 === 0)
      log(`console: ${what} failed (${count} so far): ${(error as Error)?.message ?? String(error)}`);
  };
}
