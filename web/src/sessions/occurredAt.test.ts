import { describe, expect, it } from 'vitest';
import { OCCURRED_AT_FORMAT_ERROR, occurredAtIso, withOccurredAt } from './occurredAt';
import { deviceBody } from './deviceLogic';
import { vitalsEventBody } from './sessionLogic';
import { startBody } from './startLogic';

// 2026-12-02 14:30 local time.
const NOW = new Date(2026, 11, 2, 14, 30, 0).getTime();

describe('occurredAtIso', () => {
  it('reads a clock time as today and refuses the future', () => {
    expect(occurredAtIso('', NOW)).toBe('');
    expect(occurredAtIso('  ', NOW)).toBe('');
    expect(occurredAtIso('14:05', NOW)).toBe(new Date(2026, 11, 2, 14, 5).toISOString());
    expect(occurredAtIso('9:07', NOW)).toBe(new Date(2026, 11, 2, 9, 7).toISOString());
    expect(occurredAtIso('00:00', NOW)).toBe(new Date(2026, 11, 2, 0, 0).toISOString());
    expect(occurredAtIso('14:31', NOW)).toBe(new Date(2026, 11, 2, 14, 31).toISOString()); // within the server's minute
    expect(occurredAtIso('14:32', NOW)).toBeNull();
    expect(occurredAtIso('24:00', NOW)).toBeNull();
    expect(occurredAtIso('12:60', NOW)).toBeNull();
    expect(occurredAtIso('2pm', NOW)).toBeNull();
  });
});

describe('withOccurredAt', () => {
  const vitals = vitalsEventBody({ heart_rate_bpm: '88' });

  it('adds the time to the body when one is given', () => {
    expect(withOccurredAt(vitals, '14:12', NOW)).toEqual({
      body: { kind: 'vitals', heart_rate_bpm: 88, occurred_at: new Date(2026, 11, 2, 14, 12).toISOString() },
      errors: {},
    });
  });

  it('leaves the body as it is when the time is empty', () => {
    expect(withOccurredAt(vitals, '', NOW)).toEqual(vitals);
    expect(withOccurredAt({ body: { kind: 'stop' }, errors: {} }, '', NOW)).toEqual({ body: { kind: 'stop' }, errors: {} });
  });

  it('names occurred_at and sends nothing for a time it cannot send', () => {
    expect(withOccurredAt({ body: { kind: 'resume' }, errors: {} }, '15:00', NOW)).toEqual({ body: null, errors: { occurred_at: OCCURRED_AT_FORMAT_ERROR } });
    expect(withOccurredAt({ body: { kind: 'resume' }, errors: {} }, 'soon', NOW).errors).toEqual({ occurred_at: OCCURRED_AT_FORMAT_ERROR });
  });

  it('keeps the other fields\' errors beside its own', () => {
    const bad = vitalsEventBody({ heart_rate_bpm: 'fast' });
    const out = withOccurredAt(bad, '99:99', NOW);
    expect(out.body).toBeNull();
    expect(out.errors.occurred_at).toBe(OCCURRED_AT_FORMAT_ERROR);
    expect(Object.keys(out.errors)).toEqual([...Object.keys(bad.errors), 'occurred_at']);
    expect(withOccurredAt(bad, '14:00', NOW)).toEqual(bad);
  });
});

describe('the time on a start of dosing and on an esketamine device', () => {
  const at = new Date(2026, 11, 2, 14, 10).toISOString();

  it('goes beside the ledger administration of a start, and with no ledger link', () => {
    const linked = startBody({ stock: { lot_id: 7, location_id: 2 }, drawn_mg: '40', administered_mg: '35' });
    expect(withOccurredAt(linked, '14:10', NOW).body).toEqual({
      kind: 'start',
      administer: { lot_id: 7, location_id: 2, drawn_mg: '40', administered_mg: '35' },
      occurred_at: at,
    });
    expect(withOccurredAt(startBody({ stock: null, drawn_mg: '', administered_mg: '' }), '14:10', NOW).body).toEqual({ kind: 'start', occurred_at: at });
  });

  it('shows a start\'s quantity errors and its own together, sending nothing', () => {
    const out = withOccurredAt(startBody({ stock: { lot_id: 7, location_id: 2 }, drawn_mg: '', administered_mg: '35' }), '23:59', NOW);
    expect(out).toEqual({
      body: null,
      errors: { 'administer.drawn_mg': 'is required when the dose is linked to a lot', occurred_at: OCCURRED_AT_FORMAT_ERROR },
    });
  });

  it('goes on a device with its observer', () => {
    expect(withOccurredAt(deviceBody(2, { observed_by: 'M. Lindqvist', stock: null }), '14:10', NOW).body).toEqual({
      kind: 'device',
      device_number: 2,
      observed_by: 'M. Lindqvist',
      occurred_at: at,
    });
    expect(withOccurredAt(deviceBody(1, { observed_by: '', stock: null }), '', NOW).body).toEqual({ kind: 'device', device_number: 1 });
  });
});
