// Tests of the Schedule page's pure helpers: date stepping across months and years, the week's
// Monday, today in a zone at a day boundary, appointments of a date, and the form checks.
import { describe, expect, it } from 'vitest';
import type { Appointment } from '../api/schedule';
import {
  addDays,
  bookingErrors,
  conflictText,
  minutesBetween,
  onDate,
  reasonError,
  startErrors,
  stepDate,
  timeRange,
  todayIn,
  weekStart,
} from './scheduleLogic';

const appointment = (id: number, start: string, end: string) => ({ id, start, end }) as Appointment;

describe('calendar dates', () => {
  it('steps days across month and year ends', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
  });
  it('finds the Monday of a week', () => {
    expect(weekStart('2026-03-09')).toBe('2026-03-09'); // a Monday
    expect(weekStart('2026-03-15')).toBe('2026-03-09'); // its Sunday
    expect(weekStart('2026-03-11')).toBe('2026-03-09');
  });
  it('steps by a day or by a week from Monday', () => {
    expect(stepDate('2026-03-11', 1, 1)).toBe('2026-03-12');
    expect(stepDate('2026-03-11', 1, -1)).toBe('2026-03-10');
    expect(stepDate('2026-03-11', 7, 1)).toBe('2026-03-16');
    expect(stepDate('2026-03-11', 7, -1)).toBe('2026-03-02');
  });
  it("reads today in the clinic's zone, not the browser's", () => {
    const instant = new Date('2026-03-10T04:30:00Z'); // 23:30 the day before in Chicago
    expect(todayIn('America/Chicago', instant)).toBe('2026-03-09');
    expect(todayIn('Europe/Berlin', instant)).toBe('2026-03-10');
  });
});

describe('appointments of a day', () => {
  it('keeps a chair column to one date, earliest first', () => {
    const list = [
      appointment(1, '2026-03-10T13:00', '2026-03-10T14:00'),
      appointment(2, '2026-03-11T08:00', '2026-03-11T10:00'),
      appointment(3, '2026-03-10T08:30', '2026-03-10T10:30'),
    ];
    expect(onDate(list, '2026-03-10').map((a) => a.id)).toEqual([3, 1]);
    expect(onDate(list, '2026-03-12')).toEqual([]);
    expect(timeRange(list[2]!)).toBe('08:30–10:30');
    expect(minutesBetween('2026-03-10T08:30', '2026-03-10T10:30')).toBe(120);
  });
});

describe('form checks', () => {
  const good = { patientId: 4, chairId: '2', staffId: '7', kind: 'dosing', date: '2026-03-11', time: '09:00', duration: '120' };
  it('accepts a complete booking', () => {
    expect(bookingErrors(good)).toEqual({});
  });
  it('names each missing or broken field', () => {
    expect(bookingErrors({ ...good, patientId: null, chairId: '', duration: '0' })).toEqual({
      patient_id: 'Choose a patient.',
      chair_id: 'Choose a chair.',
      duration_minutes: 'Enter a duration from 5 to 720 minutes.',
    });
    expect(bookingErrors({ ...good, duration: '721' }).duration_minutes).toBeDefined();
    expect(bookingErrors({ ...good, duration: '90.5' }).duration_minutes).toBeDefined();
    expect(bookingErrors({ ...good, kind: 'massage' }).kind).toBeDefined();
  });
  it('checks dates and 24-hour times', () => {
    expect(startErrors('2026-03-11', '24:00')).not.toBeNull();
    expect(startErrors('2026-03-11', '9:00')).not.toBeNull();
    expect(startErrors('11/03/2026', '09:00')).not.toBeNull();
    expect(startErrors('2026-03-11', '23:59')).toBeNull();
  });
  it('needs a reason for reschedules and cancellations', () => {
    expect(reasonError('   ')).toBe('Enter a reason.');
    expect(reasonError('x'.repeat(501))).not.toBeNull();
    expect(reasonError('patient unwell')).toBeNull();
  });
  it('drops rule tags from conflict messages', () => {
    expect(conflictText('[chair_double_booked] Chair 3 is booked 09:00-11:00; [staff_double_booked] Nurse is booked')).toBe(
      'Chair 3 is booked 09:00-11:00; Nurse is booked',
    );
  });
});
