import { describe, expect, it } from 'vitest';
import { dueText, scheduleBody, scheduleText } from './scheduleForm';
import type { MeasureSchedule } from '../api/measureSchedules';

describe('measure schedule form', () => {
  it('builds the body for each kind', () => {
    expect(scheduleBody({ instrument: 'phq9', kind: 'every_n_days', interval: ' 14 ', reset: true, start: '2026-03-01' })).toEqual({
      body: { instrument: 'phq9', kind: 'every_n_days', interval_days: 14, reset_on_treatment: true, start_date: '2026-03-01' },
    });
    expect(scheduleBody({ instrument: 'gad7', kind: 'before_each_session', interval: '7', reset: true, start: '' })).toEqual({
      body: { instrument: 'gad7', kind: 'before_each_session' },
    });
    expect(scheduleBody({ instrument: 'phq9', kind: 'n_days_after_each_session', interval: '1', reset: true, start: '' })).toEqual({
      body: { instrument: 'phq9', kind: 'n_days_after_each_session', interval_days: 1 },
    });
  });

  it('names the field the form can check itself', () => {
    expect(scheduleBody({ instrument: '', kind: 'every_n_days', interval: '7', reset: false, start: '' })).toMatchObject({ field: 'instrument' });
    expect(scheduleBody({ instrument: 'phq9', kind: '', interval: '7', reset: false, start: '' })).toMatchObject({ field: 'kind' });
    expect(scheduleBody({ instrument: 'phq9', kind: 'every_n_days', interval: '2.5', reset: false, start: '' })).toMatchObject({ field: 'interval_days' });
    expect(scheduleBody({ instrument: 'phq9', kind: 'every_n_days', interval: '', reset: false, start: '' })).toMatchObject({ field: 'interval_days' });
  });

  it('reads schedules and due items', () => {
    const s = { kind: 'every_n_days', interval_days: 1, start_date: '2026-03-01', reset_on_treatment: true } as MeasureSchedule;
    expect(scheduleText(s)).toBe('every 1 day from 2026-03-01, restarting at each session');
    expect(scheduleText({ ...s, kind: 'before_each_session', interval_days: null })).toBe('before each session, from 2026-03-01');
    const due = { status: 'overdue', days_overdue: 2, due_on: '2026-03-08', rule: 'every 7 days from 2026-03-01' } as const;
    expect(dueText({ ...due } as never)).toBe('overdue by 2 days (due 2026-03-08, every 7 days from 2026-03-01)');
    expect(dueText({ ...due, status: 'due' } as never)).toBe('due 2026-03-08 (every 7 days from 2026-03-01)');
  });
});
