// The pump rate change (IV sessions) and the "time, if not now" that bedside records may carry:
// staff often write an event down a few minutes after it happened. The clock time is read as
// today in the browser's time zone and sent as a UTC timestamp; the server refuses times before
// the check-in or more than a minute ahead, and says so on the field.
import { decimalNumber, type Built, type FormErrors } from './sessionLogic';

export interface RateChangeForm {
  rate: string;
  reason: string;
  time: string;
}

// The server's bounds for rate_ml_per_h (src/services/session_service.cpp, kRateChange).
export const RATE_MIN_ML_PER_H = 0.1;
export const RATE_MAX_ML_PER_H = 2000;

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

export function rateChangeBody(form: RateChangeForm, nowMs: number): Built<Record<string, unknown>> {
  const errors: FormErrors = {};
  const rate = decimalNumber(form.rate);
  if (rate === undefined) errors.rate_ml_per_h = 'is required';
  else if (Number.isNaN(rate)) errors.rate_ml_per_h = 'must be a number of mL/h';
  else if (rate < RATE_MIN_ML_PER_H || rate > RATE_MAX_ML_PER_H) {
    errors.rate_ml_per_h = `must be between ${RATE_MIN_ML_PER_H} and ${RATE_MAX_ML_PER_H} mL/h`;
  }
  if (!form.reason.trim()) errors.reason = 'is required: why the rate changed';
  const occurred = occurredAtIso(form.time, nowMs);
  if (occurred === null) errors.occurred_at = 'must be a time today, not in the future (HH:MM)';
  if (Object.keys(errors).length) return { body: null, errors };
  const body: Record<string, unknown> = { kind: 'rate_change', rate_ml_per_h: rate, reason: form.reason.trim() };
  if (occurred) body.occurred_at = occurred;
  return { body, errors };
}
