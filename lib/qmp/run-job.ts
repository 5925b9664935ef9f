import { randomUUID } from 'node:crypto';
import { QmpJobError, QmpTimeoutError } from './errors';
import type { QmpClient } from './qmp-client';

export interface RunJobOptions {
  /** Deadline for the job to conclude. Default 5 min. */
  timeoutMs?: number;
}

interface JobInfo {
  id: string;
  status: string;
  error?: string;
}

const DEFAULT_JOB_MS = 5 * 60_000;
const DISMISS_MS = 10_000;

/**
 * Runs a job command (`snapshot-save`, `snapshot-load`, `snapshot-delete`): starts it with
 * a fresh job id, waits for `JOB_STATUS_CHANGE` to `concluded`, reads the outcome from
 * `query-jobs` (the only place the error appears), and always dismisses the job.
 */
export async function runJob(
  client: QmpClient,
  command: string,
  args: Record<string, unknown>,
  options: RunJobOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_JOB_MS;
  const deadline = Date.now() + timeoutMs;
  const jobId = `${command}-${randomUUID()}`;
  const since = client.events.mark();
  let job: JobInfo | undefined;
  try {
    await client.execute(command, { ...args, 'job-id': jobId }, { timeoutMs });
    await client.waitForEvent('JOB_STATUS_CHANGE', {
      since,
      predicate: (e) => e.data.id === jobId && e.data.status === 'concluded',
      timeoutMs: Math.max(1, deadline - Date.now()),
    });
    const jobs = await client.execute<JobInfo[]>('query-jobs', undefined, { timeoutMs: DISMISS_MS });
    job = jobs.find((j) => j.id === jobId);
  } catch (err) {
    if (err instanceof QmpTimeoutError) {
      throw new QmpJobError(command, jobId, `did not conclude within ${timeoutMs} ms (job left in QEMU)`);
    }
    throw err;
  } finally {
    // Fails harmlessly when the job has not concluded (timeout) or the connection is gone.
    await client.execute('job-dismiss', { id: jobId }, { timeoutMs: DISMISS_MS }).catch(() => undefined);
  }
  if (!job) throw new QmpJobError(command, jobId, 'job vanished from query-jobs before it was dismissed');
  if (job.error !== undefined) throw new QmpJobError(command, jobId, job.error);
}
