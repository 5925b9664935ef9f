import { EXIT_MEANINGS, KILLED_EXIT } from '../../contract/exit-codes';

export function describeExit(code: number): string {
  if (code === KILLED_EXIT) return 'the container was killed (out of memory, or docker kill)';
  return (EXIT_MEANINGS as Record<number, string>)[code] ?? `exit code ${code}`;
}
