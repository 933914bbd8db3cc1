// Tests of the course panel's logic: transition readiness, the transition request and the series form.
import { describe, expect, it } from 'vitest';
import { localMinute, seriesRequest, stateLabel, transitionOptions, transitionRequest, treatmentBlocked, validateSeries, validateTransition } from './courseState';

describe('transitionOptions', () => {
  it('lists ready moves first and keeps the server’s blocking messages verbatim', () => {
    const options = transitionOptions({
      allowed: [
        { to: 'induction', ready: false, blocked_by: ['consent for IV racemic ketamine v1 expired on 2026-10-01', 'no cleared eligibility decision'] },
        { to: 'discontinued', ready: true, blocked_by: [] },
      ],
    });
    expect(options.map((o) => o.to)).toEqual(['discontinued', 'induction']);
    expect(options[0]).toMatchObject({ ready: true, blockedBy: [], label: 'Move to discontinued' });
    expect(options[1]!.blockedBy).toEqual(['consent for IV racemic ketamine v1 expired on 2026-10-01', 'no cleared eligibility decision']);
  });

  it('never shows a blocked move without a reason', () => {
    expect(transitionOptions({ allowed: [{ to: 'booster', ready: false, blocked_by: [] }] })[0]!.blockedBy).toHaveLength(1);
  });

  it('says when every treatment move is blocked', () => {
    expect(treatmentBlocked({ allowed: [{ to: 'induction', ready: false, blocked_by: ['x'] }, { to: 'discontinued', ready: true, blocked_by: [] }] })).toBe(true);
    expect(treatmentBlocked({ allowed: [{ to: 'induction', ready: true, blocked_by: [] }] })).toBe(false);
    expect(treatmentBlocked({ allowed: [{ to: 'discontinued', ready: true, blocked_by: [] }] })).toBe(false);
    expect(stateLabel('maintenance')).toBe('Maintenance');
  });
});

describe('transition form', () => {
  const today = '2026-06-01';
  it('requires a state and a reason, and a real future re-evaluation date when given', () => {
    expect(Object.keys(validateTransition({ to: '', reason: '', reevaluation_due_on: '' }, today)).sort()).toEqual(['reason', 'to']);
    expect(validateTransition({ to: 'discontinued', reason: ' ', reevaluation_due_on: '' }, today)['reason']).toMatch(/discontinue/);
    expect(validateTransition({ to: 'induction', reason: 'ok', reevaluation_due_on: '2026-05-31' }, today)['reevaluation_due_on']).toMatch(/past/);
    expect(validateTransition({ to: 'induction', reason: 'ok', reevaluation_due_on: '2026-07-01' }, today)).toEqual({});
  });
  it('sends the due date only when given', () => {
    expect(transitionRequest({ to: 'induction', reason: ' Cleared ', reevaluation_due_on: '' })).toEqual({ to: 'induction', reason: 'Cleared' });
    expect(transitionRequest({ to: 'induction', reason: 'r', reevaluation_due_on: '2026-07-01' })).toEqual({
      to: 'induction',
      reason: 'r',
      reevaluation_due_on: '2026-07-01',
    });
  });
});

describe('appointment series form', () => {
  const good = { first_start: '2026-06-02T09:30', sessions: '6', per_week: '2', duration_minutes: '120', chair_id: '3', staff_user_id: '11' };
  it('accepts a complete series and maps it to the request body', () => {
    expect(validateSeries(good)).toEqual({});
    expect(seriesRequest({ ...good, first_start: '2026-06-02T09:30:00' })).toEqual({
      first_start: '2026-06-02T09:30',
      sessions: 6,
      per_week: 2,
      duration_minutes: 120,
      chair_id: 3,
      staff_user_id: 11,
    });
  });
  it('names each bad field', () => {
    const errors = validateSeries({ first_start: '2026-02-30T09:00', sessions: '0', per_week: '8', duration_minutes: '2.5', chair_id: '', staff_user_id: '' });
    expect(Object.keys(errors).sort()).toEqual(['chair_id', 'duration_minutes', 'first_start', 'per_week', 'sessions', 'staff_user_id']);
    expect(localMinute('2026-06-02T24:00')).toBeNull();
  });
});
