// Pure logic of the treatment course panel: state names, which transitions can be taken
// now and what blocks the others, the transition request, and the appointment-series form.
import type { AllowedTransition, AppointmentSeriesRequest, CourseState, CourseTransitionRequest, TreatmentCourse } from '../api/types';
import { isBlank, isCalendarDate } from '../lib/validation';

export const STATE_LABELS: Record<CourseState, string> = {
  evaluation: 'Evaluation',
  induction: 'Induction',
  maintenance: 'Maintenance',
  booster: 'Booster',
  discontinued: 'Discontinued',
};

export function stateLabel(state: string | null | undefined): string {
  if (!state) return '—';
  return STATE_LABELS[state as CourseState] ?? state;
}

export interface TransitionOption {
  to: CourseState;
  label: string;
  ready: boolean;
  /** The server's messages naming the rules that block the move, verbatim. */
  blockedBy: string[];
}

/** The course's allowed transitions, ready ones first, each with its blocking messages. */
export function transitionOptions(course: Pick<TreatmentCourse, 'allowed'>): TransitionOption[] {
  const options = (course.allowed ?? []).map((a: AllowedTransition) => ({
    to: a.to,
    label: `Move to ${stateLabel(a.to).toLowerCase()}`,
    ready: a.ready,
    blockedBy: a.ready ? [] : a.blocked_by?.length ? [...a.blocked_by] : ['Not ready (the server gave no reason).'],
  }));
  return [...options.filter((o) => o.ready), ...options.filter((o) => !o.ready)];
}

/** True when every transition into a treatment state (induction, booster) is blocked. */
export function treatmentBlocked(course: Pick<TreatmentCourse, 'allowed'>): boolean {
  const treatment = (course.allowed ?? []).filter((a) => a.to === 'induction' || a.to === 'booster');
  return treatment.length > 0 && treatment.every((a) => !a.ready);
}

export interface TransitionFormValues {
  to: string;
  reason: string;
  reevaluation_due_on: string;
}

export function validateTransition(values: TransitionFormValues, today: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (isBlank(values.to)) errors['to'] = 'Choose the state to move to.';
  if (isBlank(values.reason)) {
    errors['reason'] = values.to === 'discontinued' ? 'A reason is required to discontinue a course.' : 'Give the reason for this change.';
  }
  if (!isBlank(values.reevaluation_due_on)) {
    if (!isCalendarDate(values.reevaluation_due_on)) errors['reevaluation_due_on'] = 'Re-evaluation due must be a real date (YYYY-MM-DD).';
    else if (values.reevaluation_due_on < today) errors['reevaluation_due_on'] = 'Re-evaluation due cannot be in the past.';
  }
  return errors;
}

export function transitionRequest(values: TransitionFormValues): CourseTransitionRequest {
  const request: CourseTransitionRequest = { to: values.to as CourseState, reason: values.reason.trim() };
  if (!isBlank(values.reevaluation_due_on)) request.reevaluation_due_on = values.reevaluation_due_on;
  return request;
}

export interface SeriesFormValues {
  first_start: string;
  sessions: string;
  per_week: string;
  duration_minutes: string;
  chair_id: string;
  staff_user_id: string;
}

/** "2026-06-01T09:30" (what <input type="datetime-local"> gives; seconds are dropped). */
export function localMinute(value: string): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(value.trim());
  if (!match || !isCalendarDate(match[1]!)) return null;
  if (Number(match[2]) > 23 || Number(match[3]) > 59) return null;
  return `${match[1]}T${match[2]}:${match[3]}`;
}

function wholeIn(value: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(value.trim())) return null;
  const n = Number(value.trim());
  return n >= min && n <= max ? n : null;
}

export function validateSeries(values: SeriesFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!localMinute(values.first_start)) errors['first_start'] = 'Enter the first appointment’s date and time.';
  if (wholeIn(values.sessions, 1, 100) === null) errors['sessions'] = 'Sessions must be a whole number from 1 to 100.';
  if (wholeIn(values.per_week, 1, 7) === null) errors['per_week'] = 'Sessions per week must be a whole number from 1 to 7.';
  if (wholeIn(values.duration_minutes, 5, 720) === null) errors['duration_minutes'] = 'Duration must be whole minutes from 5 to 720.';
  if (isBlank(values.chair_id)) errors['chair_id'] = 'Choose a chair.';
  if (isBlank(values.staff_user_id)) errors['staff_user_id'] = 'Choose the staff member.';
  return errors;
}

/** Ids are sent as numbers when they look like numbers (the server's ids are numeric). */
function idValue(value: string): number | string {
  return /^\d+$/.test(value) ? Number(value) : value;
}

export function seriesRequest(values: SeriesFormValues): AppointmentSeriesRequest {
  return {
    first_start: localMinute(values.first_start)!,
    sessions: Number(values.sessions.trim()),
    per_week: Number(values.per_week.trim()),
    duration_minutes: Number(values.duration_minutes.trim()),
    chair_id: idValue(values.chair_id),
    staff_user_id: idValue(values.staff_user_id),
  };
}
