/**
 * The message of a readiness wait that ran out of time. With the input that sets the limit it
 * says how to change it (the engine's customTimeouts do not reach a dynamic provider).
 */
export function timeoutMessage(level: string, timeoutMs: number, phase: string, input?: string): string {
  const seconds = Math.round(timeoutMs / 1000);
  const limit = `did not reach readiness "${level}" within ${seconds} s (phase: ${phase})`;
  if (!input) return limit;
  const key = input.split('.').pop()!;
  return (
    `${limit}. The limit is the input ${input} (${seconds} s): raise it, e.g. ` +
    `timeouts: { ${key}: ${seconds * 2} }, or wait for less with readiness: "qemu"`
  );
}
