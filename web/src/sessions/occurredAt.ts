// The "time, if not now" that bedside records may carry: staff often write an event down a few
// minutes after it happened. A clock time ("HH:MM") is read as today in the browser's time zone
// and sent as a UTC timestamp in `occurred_at`. The server refuses times more than a minute
// ahead of its clock and times before the check-in (or, for a change of phase, before the
// phase it ends began), and names occurred_at when it does (src/services/session_service.cpp).
import type { Built } from './sessionLogic';

/** What the form says when the time is not one it can send. */
export const OCCURRED_AT_FORMAT_ERROR = 'must be a time today, not in the future (HH:MM)';

/** "HH:MM" today (local time) as an ISO timestamp; "" when empty; null when not a time or in the future. */
export function occurredAtIso(time: string, nowMs: number): string | null | '' {
  const t = time.trim();
  if (t === '') return '';
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(t);
  if (!match) return null;
  const at = new Date(nowMs);
  at.setHours(Number(match[1]), Number(match[2]), 0, 0);
  if (at.getTime() > nowMs + 60_000) return null;
  return at.toISOString();
}

/**
 * Adds the entered time to a built event body: `occurred_at` when a time is given, an
 * `occurred_at` error (and no body) when it cannot be sent, the body unchanged when empty.
 * The other fields' errors are kept, so every problem shows at once.
 */
export function withOccurredAt(built: Built<Record<string, unknown>>, time: string, nowMs: number): Built<Record<string, unknown>> {
  const occurred = occurredAtIso(time, nowMs);
  if (occurred === null) return { body: null, errors: { ...built.errors, occurred_at: OCCURRED_AT_FORMAT_ERROR } };
  if (!built.body || occurred === '') return built;
  return { body: { ...built.body, occurred_at: occurred }, errors: built.errors };
}
