// Pure helpers of the Schedule set-up page: the weekly working-hours form <-> the request
// body of POST /api/v1/staff/{id}/working-hours, the client-side range checks (times HH:MM,
// end after start, no overlapping ranges on a day) keyed by the same field paths the server
// names ("hours.monday[0].end", "hours.monday"), chairs grouped by room, and the clinicians
// among the clinic's users.
import type { ClinicUser } from '../api/types';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WEEKDAY_LABELS: Record<Weekday, string> = {
  monday: 'Monday',
  tuesday: 'Tuesday',
  wednesday: 'Wednesday',
  thursday: 'Thursday',
  friday: 'Friday',
  saturday: 'Saturday',
  sunday: 'Sunday',
};

export interface TimeRange {
  start: string;
  end: string;
}

/** The server's weekly hours: weekday -> intervals; a missing or empty day is a day off. */
export type WeeklyHours = Partial<Record<string, TimeRange[]>>;

/** The form: every weekday with its ranges as typed (an empty list is a day off). */
export type HoursForm = Record<Weekday, TimeRange[]>;

export interface HoursRequest {
  hours: Partial<Record<Weekday, TimeRange[]>>;
  reason?: string;
}

export function emptyHoursForm(): HoursForm {
  return Object.fromEntries(WEEKDAYS.map((d) => [d, []])) as unknown as HoursForm;
}

/** The form for the current hours (null: none set yet, every day off). */
export function hoursToForm(hours: WeeklyHours | null | undefined): HoursForm {
  const form = emptyHoursForm();
  if (!hours) return form;
  for (const day of WEEKDAYS) form[day] = (hours[day] ?? []).map((r) => ({ start: r.start, end: r.end }));
  return form;
}

/** "8:00" -> "08:00"; other text is returned trimmed, unchanged. */
export function normalizeTime(text: string): string {
  const t = text.trim();
  const m = /^(\d):(\d\d)$/.exec(t);
  return m ? `0${m[1]}:${m[2]}` : t;
}

/** Minutes since midnight of "HH:MM" (end may be "24:00"), or null when not a time. */
export function clockMinutes(text: string, isEnd = false): number | null {
  const m = /^(\d\d):(\d\d)$/.exec(normalizeTime(text));
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (isEnd && h === 24 && min === 0) return 1440;
  if (h > 23 || min > 59) return null;
  return h * 60 + min;
}

/** The request body: days with ranges only (days left out are days off), times normalized. */
export function formToRequest(form: HoursForm, reason: string): HoursRequest {
  const hours: Partial<Record<Weekday, TimeRange[]>> = {};
  for (const day of WEEKDAYS) {
    if (form[day].length) hours[day] = form[day].map((r) => ({ start: normalizeTime(r.start), end: normalizeTime(r.end) }));
  }
  const why = reason.trim();
  return why ? { hours, reason: why } : { hours };
}

export function rangePath(day: Weekday, index: number, part: 'start' | 'end'): string {
  return `hours.${day}[${index}].${part}`;
}

export function dayPath(day: Weekday): string {
  return `hours.${day}`;
}

/** Problems by field path: bad times, an end not after its start, overlapping ranges on a day. */
export function hoursErrors(form: HoursForm): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const day of WEEKDAYS) {
    const label = WEEKDAY_LABELS[day];
    const valid: { start: number; end: number; text: string }[] = [];
    form[day].forEach((range, i) => {
      const n = form[day].length > 1 ? ` ${i + 1}` : '';
      const start = clockMinutes(range.start);
      const end = clockMinutes(range.end, true);
      if (start === null) {
        errors[rangePath(day, i, 'start')] = range.start.trim()
          ? `${label} start${n}: must be a time HH:MM (00:00–23:59).`
          : `${label} start${n}: enter a start time.`;
      }
      if (end === null) {
        errors[rangePath(day, i, 'end')] = range.end.trim()
          ? `${label} end${n}: must be a time HH:MM (24:00 for midnight).`
          : `${label} end${n}: enter an end time.`;
      }
      if (start !== null && end !== null) {
        if (end <= start) {
          errors[rangePath(day, i, 'end')] =
            `${label} end${n}: must be after the start (${normalizeTime(range.start)}).`;
        } else {
          valid.push({ start, end, text: `${normalizeTime(range.start)}–${normalizeTime(range.end)}` });
        }
      }
    });
    valid.sort((a, b) => a.start - b.start);
    for (let i = 1; i < valid.length; i++) {
      if (valid[i]!.start < valid[i - 1]!.end) {
        errors[dayPath(day)] = `${label}: the ranges ${valid[i - 1]!.text} and ${valid[i]!.text} overlap.`;
        break;
      }
    }
  }
  return errors;
}

/** "08:00–12:00, 13:00–17:00" or "Day off". */
export function dayText(ranges: readonly TimeRange[] | undefined): string {
  return ranges && ranges.length ? ranges.map((r) => `${r.start}–${r.end}`).join(', ') : 'Day off';
}

/** Chairs grouped by room, rooms in the server's order (it sorts by room, then name). */
export function byRoom<T extends { room: string }>(chairs: readonly T[]): { room: string; chairs: T[] }[] {
  const groups: { room: string; chairs: T[] }[] = [];
  for (const chair of chairs) {
    const group = groups.find((g) => g.room === chair.room);
    if (group) group.chairs.push(chair);
    else groups.push({ room: chair.room, chairs: [chair] });
  }
  return groups;
}

const CLINICAL = ['prescriber', 'nurse', 'therapist'];

/** The clinic's enabled clinicians (prescribers, nurses, therapists), by display name. */
export function clinicalStaff(users: readonly ClinicUser[]): ClinicUser[] {
  return users
    .filter((u) => !u.disabled && u.roles.some((r) => CLINICAL.includes(r)))
    .sort((a, b) => a.display_name.localeCompare(b.display_name));
}

/** Client checks of the add-chair form. */
export function chairErrors(name: string, room: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!name.trim()) errors.name = 'Enter the chair name.';
  else if (name.trim().length > 60) errors.name = 'The chair name is at most 60 characters.';
  if (!room.trim()) errors.room = 'Enter the room.';
  else if (room.trim().length > 60) errors.room = 'The room is at most 60 characters.';
  return errors;
}
