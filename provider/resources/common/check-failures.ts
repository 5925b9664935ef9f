import type { z } from 'zod';
import { formatIssues } from '../../../contract';

/** One reason a resource's inputs are refused at check, named by the input it concerns. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** A zod failure as Pulumi check failures: one per issue, named by the top-level input. */
export function zodFailures(error: z.ZodError): CheckFailure[] {
  return error.issues.map((issue) => ({
    property: String(issue.path[0] ?? ''),
    reason: formatIssues({ issues: [issue] } as never),
  }));
}
