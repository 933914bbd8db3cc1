import { describe, expect, it } from 'vitest';
import { rateChangeBody } from './rateChange';

// 2026-12-02 14:30 local time.
const NOW = new Date(2026, 11, 2, 14, 30, 0).getTime();

describe('rateChangeBody', () => {
  it('sends the rate, the reason and a time given after the fact', () => {
    expect(rateChangeBody({ rate: '52,5', reason: ' BP rising ', time: '14:20' }, NOW)).toEqual({
      body: { kind: 'rate_change', rate_ml_per_h: 52.5, reason: 'BP rising', occurred_at: new Date(2026, 11, 2, 14, 20).toISOString() },
      errors: {},
    });
    expect(rateChangeBody({ rate: '40', reason: 'nausea', time: '' }, NOW).body).toEqual({ kind: 'rate_change', rate_ml_per_h: 40, reason: 'nausea' });
  });

  it('names each field the server would refuse', () => {
    expect(rateChangeBody({ rate: '', reason: '', time: '15:00' }, NOW)).toEqual({
      body: null,
      errors: { rate_ml_per_h: 'is required', reason: 'is required: why the rate changed', occurred_at: 'must be a time today, not in the future (HH:MM)' },
    });
    expect(rateChangeBody({ rate: 'fast', reason: 'x', time: '' }, NOW).errors.rate_ml_per_h).toBe('must be a number of mL/h');
    expect(rateChangeBody({ rate: '2001', reason: 'x', time: '' }, NOW).errors.rate_ml_per_h).toBe('must be between 0.1 and 2000 mL/h');
    expect(rateChangeBody({ rate: '0.05', reason: 'x', time: '' }, NOW).errors.rate_ml_per_h).toBe('must be between 0.1 and 2000 mL/h');
  });
});
