import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { SessionEvent } from '../api/sessions';
import {
  actionStates,
  adverseBody,
  aldretePreview,
  aldreteTotal,
  doseOrderBody,
  elapsedMs,
  eventDetail,
  formatElapsed,
  minutesLabel,
  newestFirst,
  NO_RECORD_PERMISSION,
  placeError,
  readinessBody,
  rescueBody,
  scoreBody,
  utcDate,
  vitalsDueNow,
  vitalsEventBody,
} from './sessionLogic';

describe('the phase timer', () => {
  it('formats minutes and seconds, and hours from an hour on', () => {
    expect(formatElapsed(0)).toBe('0:00');
    expect(formatElapsed(4 * 60_000 + 7_900)).toBe('4:07');
    expect(formatElapsed(59 * 60_000 + 59_000)).toBe('59:59');
    expect(formatElapsed(3_723_000)).toBe('1:02:03');
  });
  it('never runs backwards when the client clock is behind the server', () => {
    const start = '2026-03-10T09:30:00.000Z';
    expect(elapsedMs(start, Date.parse(start) - 5_000)).toBe(0);
    expect(elapsedMs(start, Date.parse(start) + 125_000)).toBe(125_000);
    expect(elapsedMs('not a time', 1)).toBe(0);
    expect(minutesLabel(125_000)).toBe('2 min');
  });
  it('says vitals are due once the due time passes, before the next refresh', () => {
    const s = { phase: 'dosing' as const, vitals_overdue: false, vitals_due_at: '2026-03-10T09:40:00.000Z' };
    expect(vitalsDueNow(s, Date.parse('2026-03-10T09:39:59.000Z'))).toBe(false);
    expect(vitalsDueNow(s, Date.parse('2026-03-10T09:40:00.000Z'))).toBe(true);
    expect(vitalsDueNow({ ...s, vitals_overdue: true, vitals_due_at: null }, 0)).toBe(true);
    expect(vitalsDueNow({ ...s, phase: 'discharged', vitals_overdue: true }, 0)).toBe(false);
  });
  it('reads the day list date as the server does (UTC)', () => {
    expect(utcDate(Date.parse('2026-03-10T23:30:00.000Z'))).toBe('2026-03-10');
  });
});

describe('the action buttons', () => {
  const allowed = {
    start: 'no dose before the readiness checklist passes',
    pause: 'pause is not allowed while the session is checked_in',
    cancel: true as const,
  };
  it('enables what the server allows and shows the blocking rule verbatim', () => {
    const states = Object.fromEntries(actionStates(allowed, true).map((s) => [s.kind, s]));
    expect(states.start).toMatchObject({ enabled: false, blockedBy: 'no dose before the readiness checklist passes' });
    expect(states.cancel).toMatchObject({ enabled: true, blockedBy: null, form: 'reason' });
    expect(states.pause?.form).toBe('reason');
    expect(states.discharge).toMatchObject({ enabled: false, form: 'discharge' });
  });
  it('disables an allowed move for a user who may not record, saying why', () => {
    const cancel = actionStates(allowed, false).find((s) => s.kind === 'cancel');
    expect(cancel).toMatchObject({ enabled: false, blockedBy: NO_RECORD_PERMISSION });
  });
  it('lists the moves in the order they happen', () => {
    expect(actionStates({}, true).map((s) => s.kind)).toEqual(['start', 'pause', 'resume', 'stop', 'ready_for_discharge', 'discharge', 'cancel']);
  });
  it('lets every move be charted with the time it happened (the server takes occurred_at on each)', () => {
    expect(actionStates({}, true).filter((s) => !s.timed).map((s) => s.kind)).toEqual([]);
  });
});

describe('form -> body', () => {
  it('builds the readiness body with the vitals as numbers and names bad ones as the server does', () => {
    const form = {
      fasting_confirmed: true,
      escort_name: '  Sam (sibling) ',
      held_medications_confirmed: false,
      pregnancy_test: 'not_applicable' as const,
      vitals: { systolic_mmhg: '126', diastolic_mmhg: ' 80', heart_rate_bpm: '' },
    };
    expect(readinessBody(form).body).toEqual({
      fasting_confirmed: true,
      escort_name: 'Sam (sibling)',
      held_medications_confirmed: false,
      pregnancy_test: 'not_applicable',
      vitals: { systolic_mmhg: 126, diastolic_mmhg: 80 },
    });
    expect(readinessBody({ ...form, pregnancy_test: '' }).body).not.toHaveProperty('pregnancy_test');
    const bad = readinessBody({ ...form, vitals: { systolic_mmhg: '12o' } });
    expect(bad.body).toBeNull();
    expect(bad.errors).toEqual({ 'vitals.systolic_mmhg': 'must be a whole number' });
  });
  it('builds the dose order, accepting a decimal comma and leaving out empty optional fields', () => {
    const iv = { dose_mg_per_kg: '0,5', vial_strength_mg_per_ml: '10', diluent_ml: '', duration_min: '40', dose_mg: '' };
    expect(doseOrderBody(iv, 'intravenous').body).toEqual({ dose_mg_per_kg: 0.5, vial_strength_mg_per_ml: 10, duration_min: 40 });
    const missing = doseOrderBody({ dose_mg_per_kg: '', vial_strength_mg_per_ml: '', diluent_ml: 'x', duration_min: '', dose_mg: '' }, 'intravenous');
    expect(missing.body).toBeNull();
    expect(Object.keys(missing.errors).sort()).toEqual(['diluent_ml', 'dose_mg_per_kg', 'vial_strength_mg_per_ml']);
  });
  it('orders IM without a duration, and intranasal or oral as a dose in mg', () => {
    const form = { dose_mg_per_kg: '0.5', vial_strength_mg_per_ml: '50', diluent_ml: '', duration_min: '40', dose_mg: '56' };
    expect(doseOrderBody(form, 'intramuscular').body).toEqual({ dose_mg_per_kg: 0.5, vial_strength_mg_per_ml: 50 });
    expect(doseOrderBody(form, 'intranasal').body).toEqual({ dose_mg: 56, indication: 'trd' });
    expect(doseOrderBody({ ...form, dose_mg: '84', indication: 'mdd_suicidal_ideation' }, 'intranasal').body).toEqual({ dose_mg: 84, indication: 'mdd_suicidal_ideation' });
    const override = { ...form, dose_mg: '56', override_rule: 'first_dose_65_and_over', override_reason: ' tolerated 56 mg before ' };
    expect(doseOrderBody(override, 'intranasal').body).toEqual({
      dose_mg: 56, indication: 'trd', first_dose_override: { rule_id: 'first_dose_65_and_over', reason: 'tolerated 56 mg before' },
    });
    expect(doseOrderBody({ ...override, override_reason: ' ' }, 'intranasal').errors).toEqual({ 'first_dose_override.reason': 'say why the day-1 dose is overridden' });
    expect(doseOrderBody({ ...form, dose_mg: '' }, 'oral_sublingual').errors).toEqual({ dose_mg: 'is required' });
  });
  it('needs at least one vital sign', () => {
    expect(vitalsEventBody({}).errors).toEqual({ systolic_mmhg: 'enter at least one vital sign' });
    expect(vitalsEventBody({ spo2_percent: '97', heart_rate_bpm: '80' }).body).toEqual({ kind: 'vitals', spo2_percent: 97, heart_rate_bpm: 80 });
  });
  it('builds rescue medication and adverse event bodies with every required field', () => {
    const rescue = { medication: 'ondansetron', dose: '4', unit: 'mg', route: 'intravenous', reason: 'nausea' };
    expect(rescueBody(rescue).body).toEqual({ kind: 'rescue_medication', ...rescue, dose: 4 });
    expect(Object.keys(rescueBody({ ...rescue, medication: ' ', dose: '-1' }).errors)).toEqual(['medication', 'dose']);
    const adverse = { description: 'Vomited once', severity: 'mild', action: 'Ondansetron', outcome: 'Settled' };
    expect(adverseBody(adverse).body).toEqual({ kind: 'adverse_event', ...adverse });
    expect(adverseBody({ ...adverse, severity: '' }).errors).toEqual({ severity: 'choose the severity' });
  });
  it('builds score bodies with the items in order, naming a missing item like the server', () => {
    expect(scoreBody('aldrete', ['2', '2', '2', '2', '1']).body).toEqual({ kind: 'score', instrument: 'aldrete', answers: [2, 2, 2, 2, 1] });
    expect(scoreBody('moaas', ['']).errors).toEqual({ 'answers[0]': 'is required' });
  });
});

describe('the Aldrete total preview', () => {
  it('is shown only when all five items are scored, against the protocol minimum', () => {
    expect(aldreteTotal(['2', '2', '', '2', '1'])).toBeNull();
    expect(aldreteTotal(['2', '2', '2', '2', '1'])).toBe(9);
    expect(aldretePreview(['2', '2', '', '2', '1'], 9)).toBe('Total: 4 of 5 items scored');
    expect(aldretePreview(['2', '2', '2', '2', '1'], 9)).toBe('Total 9 of 10: meets the discharge minimum of 9');
    expect(aldretePreview(['2', '2', '2', '1', '1'], 9)).toBe('Total 8 of 10: below the discharge minimum of 9');
    expect(aldretePreview(['2', '2', '2', '1', '1'], null)).toBe('Total 8 of 10');
  });
});

describe('server errors', () => {
  it('go next to the field they name, or above the form when they name none of its fields', () => {
    const range = new ApiError(400, 'invalid_input', 'must be between 50 and 100', 'spo2_percent');
    expect(placeError(range, ['spo2_percent'])).toEqual({ fieldErrors: { spo2_percent: 'must be between 50 and 100' }, message: null });
    const rule = new ApiError(409, 'conflict', 'no dose before the readiness checklist passes', 'kind');
    expect(placeError(rule, ['reason'])).toEqual({ fieldErrors: {}, message: 'no dose before the readiness checklist passes' });
  });
});

describe('the timeline', () => {
  const event = (sequence: number, kind: SessionEvent['kind'], data: Record<string, unknown>): SessionEvent => ({
    sequence,
    kind,
    data,
    occurred_at: '2026-03-10T09:30:00.000Z',
    recorded_at: '2026-03-10T09:30:00.000Z',
    recorded_by: 'demo.nurse',
  });
  it('lists newest first and says what each event recorded', () => {
    const events = [event(1, 'check_in', { chair: 'Chair 3' }), event(2, 'vitals', { systolic_mmhg: 142, diastolic_mmhg: 88, spo2_percent: 97 })];
    expect(newestFirst(events).map((e) => e.sequence)).toEqual([2, 1]);
    expect(eventDetail(events[1]!)).toBe('BP 142/88 mmHg, SpO₂ 97%');
    expect(eventDetail(event(3, 'discharge', { escort_name: 'Sam', instructions_given: true }))).toBe('escort: Sam; instructions given');
    expect(eventDetail(event(4, 'score', { instrument: 'aldrete', total: 9 }))).toBe('total 9');
    expect(eventDetail(event(5, 'start', {}))).toBe('no ledger link');
    expect(eventDetail(event(5, 'start', { ledger: { sequence: 41, lot_id: 3, administered_ug: 32500 } }))).toBe('32.5 mg administered, ledger entry #41 (lot 3)');
  });
});
