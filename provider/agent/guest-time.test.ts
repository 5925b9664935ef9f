import { fromGuestTimeNs, toGuestTimeNs } from './guest-time';

test('guest time is nanoseconds since the epoch, serialised as a plain JSON integer', () => {
  const date = new Date('2026-11-21T17:05:48.123Z');
  const ns = toGuestTimeNs(date);
  expect(JSON.stringify({ time: ns })).toBe('{"time":1795280748123000000}');
  expect(fromGuestTimeNs(ns).getTime()).toBe(date.getTime());
  expect(fromGuestTimeNs(1795280750441966000).toISOString()).toBe('2026-11-21T17:05:50.442Z');
});
