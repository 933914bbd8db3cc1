// Tests of the Schedule set-up helpers: hours form <-> request body, time parsing, and the
// range checks (bad times, end before start, overlaps) keyed by the server's field paths.
import { describe, expect, it } from 'vitest';
import type { ClinicUser } from '../api/types';
import {
  byRoom,
  chairErrors,
  clinicalStaff,
  clockMinutes,
  dayText,
  emptyHoursForm,
  formToRequest,
  hoursErrors,
  hoursToForm,
  normalizeTime,
} from './setupLogic';

describe('hours form <-> request', () => {
  it('fills every weekday from the server hours, null meaning every day off', () => {
    const form = hoursToForm({ monday: [{ start: '08:00', end: '12:00' }], tuesday: [] });
    expect(form.monday).toEqual([{ start: '08:00', end: '12:00' }]);
    expect(form.tuesday).toEqual([]);
    expect(form.sunday).toEqual([]);
    expect(hoursToForm(null)).toEqual(emptyHoursForm());
  });

  it('leaves days off out of the body, normalizes times and trims the reason', () => {
    const form = emptyHoursForm();
    form.monday = [{ start: '8:00', end: '12:00' }, { start: '13:00 ', end: '16:00' }];
    form.friday = [{ start: '08:00', end: '24:00' }];
    expect(formToRequest(form, '  new rota ')).toEqual({
      hours: {
        monday: [
          { start: '08:00', end: '12:00' },
          { start: '13:00', end: '16:00' },
        ],
        friday: [{ start: '08:00', end: '24:00' }],
      },
      reason: 'new rota',
    });
    expect(formToRequest(emptyHoursForm(), '   ')).toEqual({ hours: {} });
  });

  it('round-trips the server shape', () => {
    const hours = { monday: [{ start: '08:00', end: '16:00' }], wednesday: [{ start: '09:30', end: '17:00' }] };
    expect(formToRequest(hoursToForm(hours), '').hours).toEqual(hours);
  });
});

describe('times', () => {
  it('parses HH:MM, 24:00 only as an end', () => {
    expect(clockMinutes('08:30')).toBe(510);
    expect(clockMinutes('8:30')).toBe(510);
    expect(clockMinutes('24:00')).toBeNull();
    expect(clockMinutes('24:00', true)).toBe(1440);
    expect(clockMinutes('23:60')).toBeNull();
    expect(clockMinutes('8am')).toBeNull();
    expect(normalizeTime(' 7:05 ')).toBe('07:05');
  });
  it('words a day', () => {
    expect(dayText([{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }])).toBe('08:00–12:00, 13:00–17:00');
    expect(dayText([])).toBe('Day off');
    expect(dayText(undefined)).toBe('Day off');
  });
});

describe('hoursErrors', () => {
  it('accepts valid and back-to-back ranges', () => {
    const form = emptyHoursForm();
    form.monday = [{ start: '13:00', end: '17:00' }, { start: '08:00', end: '13:00' }];
    expect(hoursErrors(form)).toEqual({});
  });
  it('refuses an end before or at its start on the end field', () => {
    const form = emptyHoursForm();
    form.tuesday = [{ start: '16:00', end: '08:00' }];
    form.friday = [{ start: '09:00', end: '09:00' }];
    expect(hoursErrors(form)).toEqual({
      'hours.tuesday[0].end': 'Tuesday end: must be after the start (16:00).',
      'hours.friday[0].end': 'Friday end: must be after the start (09:00).',
    });
  });
  it('refuses overlapping ranges on the day', () => {
    const form = emptyHoursForm();
    form.wednesday = [{ start: '12:00', end: '18:00' }, { start: '08:00', end: '12:30' }];
    expect(hoursErrors(form)).toEqual({ 'hours.wednesday': 'Wednesday: the ranges 08:00–12:30 and 12:00–18:00 overlap.' });
  });
  it('refuses blank and malformed times, numbering ranges when a day has several', () => {
    const form = emptyHoursForm();
    form.monday = [{ start: '', end: '12:00' }, { start: '13:00', end: '5pm' }];
    expect(hoursErrors(form)).toEqual({
      'hours.monday[0].start': 'Monday start 1: enter a start time.',
      'hours.monday[1].end': 'Monday end 2: must be a time HH:MM (24:00 for midnight).',
    });
  });
});

describe('chairs and staff', () => {
  it('groups chairs by room in order', () => {
    const groups = byRoom([
      { id: 1, room: 'A', name: 'C1' },
      { id: 2, room: 'A', name: 'C2' },
      { id: 3, room: 'B', name: 'C3' },
    ]);
    expect(groups.map((g) => [g.room, g.chairs.map((c) => c.id)])).toEqual([
      ['A', [1, 2]],
      ['B', [3]],
    ]);
  });
  it('checks the chair form', () => {
    expect(chairErrors(' ', '')).toEqual({ name: 'Enter the chair name.', room: 'Enter the room.' });
    expect(chairErrors('Chair 9', 'Room C')).toEqual({});
  });
  it('keeps enabled clinicians only', () => {
    const u = (id: number, display_name: string, roles: string[], disabled = false) =>
      ({ id, username: `u${id}`, display_name, roles, disabled }) as unknown as ClinicUser;
    const staff = clinicalStaff([
      u(1, 'Zed Nurse', ['nurse']),
      u(2, 'Desk', ['front_desk']),
      u(3, 'Ann Prescriber', ['prescriber', 'admin']),
      u(4, 'Gone', ['therapist'], true),
    ]);
    expect(staff.map((s) => s.id)).toEqual([3, 1]);
  });
});
