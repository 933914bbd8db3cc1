// Pure helpers of the Schedule page: calendar dates (day and week stepping, the Monday of
// a week, today in the clinic's zone), the appointments of one chair on one date, the
// labels shown for an appointment, and the checks of the booking, reschedule, cancel and
// reminder forms (the server checks again; these only spare a round trip).
import type { Appointment, AppointmentKind } from '../api/schedule';

export const KIND_LABELS: Record<AppointmentKind, string> = {
  dosing: 'Dosing',
  integration: 'Integration',
  assessment: 'Assessment',
  follow_up: 'Follow-up',
};
export const REASON_MAX = 500;
export const NOTE_MAX = 200;

const DAY_MS = 86_400_000;
const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

/** "2026-03-10" shifted by `days` (negative goes back). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday of the week holding `date`. */
export function weekStart(date: string): string {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

/** Where "Previous"/"Next" lead: a day or a week away; the week view always starts on a Monday. */
export function stepDate(date: string, days: 1 | 7, direction: -1 | 1): string {
  return days === 7 ? addDays(weekStart(date), 7 * direction) : addDays(date, direction);
}

/** Today's date in an IANA zone (the clinic's), from an instant. */
export function todayIn(zone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** "Mon 9 Mar" for a column heading. */
export function dayLabel(date: string): string {
  return new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

/** The appointments of a chair that start on `date`, earliest first. */
export function onDate(appointments: readonly Appointment[], date: string): Appointment[] {
  return appointments.filter((a) => a.start.startsWith(date)).sort((a, b) => a.start.localeCompare(b.start));
}

/** "09:00–11:00". */
export function timeRange(a: Pick<Appointment, 'start' | 'end'>): string {
  return `${a.start.slice(11, 16)}–${a.end.slice(11, 16)}`;
}

export function minutesBetween(start: string, end: string): number {
  return Math.round((Date.parse(`${end}:00Z`) - Date.parse(`${start}:00Z`)) / 60_000);
}

export interface BookingForm {
  patientId: number | null;
  chairId: string;
  staffId: string;
  kind: string;
  date: string;
  time: string;
  duration: string;
}

/** Field problems of the booking form, keyed like the API's fields. */
export function bookingErrors(form: BookingForm): Record<string, string> {
  const errors: Record<string, string> = {};
  if (form.patientId === null) errors.patient_id = 'Choose a patient.';
  if (!form.chairId) errors.chair_id = 'Choose a chair.';
  if (!form.staffId) errors.staff_user_id = 'Choose a clinician.';
  if (!(form.kind in KIND_LABELS)) errors.kind = 'Choose the kind of appointment.';
  const timeProblem = startErrors(form.date, form.time);
  if (timeProblem) errors.start = timeProblem;
  const duration = Number(form.duration);
  if (!/^\d+$/.test(form.duration.trim()) || duration < 5 || duration > 720) {
    errors.duration_minutes = 'Enter a duration from 5 to 720 minutes.';
  }
  return errors;
}

export function startErrors(date: string, time: string): string | null {
  if (!isDate(date)) return 'Enter the date as YYYY-MM-DD.';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return 'Enter the time as HH:MM (24-hour).';
  return null;
}

/** The API's local start "YYYY-MM-DDTHH:MM". */
export function localStart(date: string, time: string): string {
  return `${date}T${time}`;
}

export function reasonError(reason: string, what = 'a reason'): string | null {
  const trimmed = reason.trim();
  if (!trimmed) return `Enter ${what}.`;
  if (trimmed.length > REASON_MAX) return `Keep it under ${REASON_MAX} characters.`;
  return null;
}

/** A conflict message from the server without its rule tag, for people: "[chair_double_booked] Chair 3 ..." -> "Chair 3 ...". */
export function conflictText(message: string): string {
  return message.replace(/\[[a-z_]+\] /g, '');
}
