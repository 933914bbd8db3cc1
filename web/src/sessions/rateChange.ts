// The pump rate change (IV sessions): the new rate, why, and the time it was changed if not now
// (occurredAt.ts, shared with the other bedside records).
import { withOccurredAt } from './occurredAt';
import { decimalNumber, type Built, type FormErrors } from './sessionLogic';

export interface RateChangeForm {
  rate: string;
  reason: string;
  time: string;
}

// The server's bounds for rate_ml_per_h (src/services/session_service.cpp, kRateChange).
export const RATE_MIN_ML_PER_H = 0.1;
export const RATE_MAX_ML_PER_H = 2000;

export function rateChangeBody(form: RateChangeForm, nowMs: number): Built<Record<string, unknown>> {
  const errors: FormErrors = {};
  const rate = decimalNumber(form.rate);
  if (rate === undefined) errors.rate_ml_per_h = 'is required';
  else if (Number.isNaN(rate)) errors.rate_ml_per_h = 'must be a number of mL/h';
  else if (rate < RATE_MIN_ML_PER_H || rate > RATE_MAX_ML_PER_H) {
    errors.rate_ml_per_h = `must be between ${RATE_MIN_ML_PER_H} and ${RATE_MAX_ML_PER_H} mL/h`;
  }
  if (!form.reason.trim()) errors.reason = 'is required: why the rate changed';
  const built = Object.keys(errors).length
    ? { body: null, errors }
    : { body: { kind: 'rate_change', rate_ml_per_h: rate, reason: form.reason.trim() }, errors };
  return withOccurredAt(built, form.time, nowMs);
}
