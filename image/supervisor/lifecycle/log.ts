export type Log = (line: string) => void;

/** The supervisor's own lines in the container log. */
export const log: Log = (line) => process.stdout.write(`[windock] ${line}\n`);
