import type { CallOptions, GuestAgentClient } from './guest-agent-client';

/** guest-set-time/-get-time count nanoseconds since the epoch; Date only has milliseconds. */
export function toGuestTimeNs(date: Date): number {
  return date.getTime() * 1_000_000;
}

export function fromGuestTimeNs(ns: number): Date {
  return new Date(Math.round(ns / 1_000_000));
}

export async function getTime(client: GuestAgentClient, options?: CallOptions): Promise<Date> {
  return fromGuestTimeNs(await client.execute<number>('guest-get-time', undefined, options));
}

/** Without `date` the guest reloads its system clock from its RTC (e.g. after a restore). */
export async function setTime(client: GuestAgentClient, date?: Date, options?: CallOptions): Promise<void> {
  await client.execute('guest-set-time', date ? { time: toGuestTimeNs(date) } : {}, options);
}
