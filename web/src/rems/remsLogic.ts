// Pure logic of the REMS views: the deadline as staff read it ("3 days left", "2 days
// overdue"), each Patient Monitoring Form field's kind of answer, form values <-> the
// submission body (with the format errors found before sending), and where a server refusal
// belongs on the form. The fields, their pre-filled values and the rules are the server's.
import { ApiError } from '../api/client';
import type { RemsAnswer, RemsForm, RemsFormField, RemsFormStatus, RemsSubmission, RemsSubmissionBody } from '../api/rems';
import type { Built, FormErrors } from '../sessions/sessionLogic';

/** "YYYY-MM-DD" of an instant in UTC: the server dates due dates and days left in UTC. */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** "YYYY-MM-DD" of an instant in the browser's time zone (the default submission date). */
export function localDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function dayNumber(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(ms) ? null : Math.round(ms / 86_400_000);
}

/** Calendar days from `today` to `due` (negative once past), or null for an unreadable date. */
export function daysLeft(due: string, today: string): number | null {
  const d = dayNumber(due);
  const t = dayNumber(today);
  return d === null || t === null ? null : d - t;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The deadline as a phrase: "7 days left", "due today", "1 day overdue"; submitted forms say when. */
export function deadlineLabel(status: RemsFormStatus, days: number | null, submittedOn?: string | null): string {
  if (status === 'submitted') return submittedOn ? `submitted on ${submittedOn}` : 'submitted';
  if (days === null) return status === 'overdue' ? 'overdue' : 'due date unknown';
  if (days > 0) return `${plural(days, 'day')} left`;
  if (days === 0) return 'due today';
  return `${plural(-days, 'day')} overdue`;
}

/** Urgency for styling: overdue, due within two days ("soon"), or neither. */
export function deadlineTone(status: RemsFormStatus, days: number | null): 'overdue' | 'soon' | 'ok' | 'done' {
  if (status === 'submitted') return 'done';
  if (status === 'overdue' || (days !== null && days < 0)) return 'overdue';
  return days !== null && days <= 2 ? 'soon' : 'ok';
}

export type FieldKind = 'yes_no' | 'minutes' | 'text';

// The kind of answer each field of the form takes (rems_form.cpp); a field the UI does not
// know yet is read from its pre-filled value, else text.
const KINDS: Record<string, FieldKind> = {
  concomitant_benzodiazepines: 'yes_no',
  concomitant_non_benzodiazepine_hypnotics: 'yes_no',
  concomitant_psychostimulants: 'yes_no',
  concomitant_maois: 'yes_no',
  dose: 'text',
  lot_number: 'text',
  total_minutes: 'minutes',
  ready_to_leave_minutes: 'minutes',
  vitals_acceptable_before_dosing: 'yes_no',
  vitals_acceptable_at_completion: 'yes_no',
  sedation: 'yes_no',
  dissociation: 'yes_no',
  respiratory_depression: 'yes_no',
  serious_adverse_events: 'yes_no',
};

export function fieldKind(field: Pick<RemsFormField, 'id' | 'value'>): FieldKind {
  const known = KINDS[field.id];
  if (known) return known;
  if (typeof field.value === 'boolean') return 'yes_no';
  if (typeof field.value === 'number') return 'minutes';
  return 'text';
}

/** An answer as the form holds it: 'yes' / 'no', digits, or text; '' when unanswered. */
export function answerText(value: RemsAnswer | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** An answer as staff read it. */
export function answerLabel(value: RemsAnswer | undefined, kind: FieldKind): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return kind === 'minutes' ? `${value} min` : String(value);
}

export type RemsValues = Record<string, string>;

/** The form's starting values: the latest submission's answers (a correction starts from them), else the pre-filled ones. */
export function initialValues(form: Pick<RemsForm, 'fields' | 'submissions'>): RemsValues {
  const latest = latestSubmission(form.submissions);
  const values: RemsValues = {};
  for (const f of form.fields) values[f.id] = answerText(latest && f.id in latest.answers ? latest.answers[f.id] : f.value);
  return values;
}

export function latestSubmission(submissions: readonly RemsSubmission[]): RemsSubmission | null {
  return submissions.length ? submissions[submissions.length - 1]! : null;
}

export interface RemsMeta {
  submitted_on: string;
  confirmation: string;
  reason: string;
}

/**
 * The submission body, or the format errors found before sending: every field answered
 * (the REMS form has no optional question), minutes whole and not negative, the date, the
 * REMS confirmation, and for a correction (amendsId) the reason.
 */
export function submissionBody(
  fields: readonly RemsFormField[],
  values: RemsValues,
  meta: RemsMeta,
  amendsId: number | null,
): Built<RemsSubmissionBody> {
  const errors: FormErrors = {};
  const answers: RemsSubmissionBody['answers'] = {};
  for (const f of fields) {
    const text = (values[f.id] ?? '').trim();
    const key = `answers.${f.id}`;
    if (text === '') {
      errors[key] = 'is required';
      continue;
    }
    const kind = fieldKind(f);
    if (kind === 'yes_no') {
      if (text !== 'yes' && text !== 'no') errors[key] = 'choose yes or no';
      else answers[f.id] = text === 'yes';
    } else if (kind === 'minutes') {
      if (!/^\d+$/.test(text)) errors[key] = 'must be a whole number of minutes';
      else answers[f.id] = Number(text);
    } else {
      answers[f.id] = text;
    }
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(meta.submitted_on)) errors.submitted_on = 'is required (the date the form went to the REMS)';
  const confirmation = meta.confirmation.trim();
  if (!confirmation) errors.confirmation = 'is required (the REMS confirmation)';
  const reason = meta.reason.trim();
  if (amendsId !== null && !reason) errors.reason = 'is required for a correction';
  if (Object.keys(errors).length) return { body: null, errors };
  const body: RemsSubmissionBody = { answers, submitted_on: meta.submitted_on, confirmation };
  if (amendsId !== null) {
    body.amends_id = amendsId;
    body.reason = reason;
  }
  return { body, errors };
}

const UNANSWERED = 'the form cannot be submitted with fields unanswered: ';
export const REMS_META_FIELDS = ['submitted_on', 'confirmation', 'reason'] as const;

/**
 * Where a refused submission belongs: an error naming `answers.<field>` goes beside that
 * field (a list of unanswered fields marks each of them, and the list stays in the alert),
 * one naming submitted_on, confirmation or reason beside those; anything else (a 409 rule
 * such as "submitted after discharge", or amends_id when someone else submitted first)
 * verbatim in the form's alert.
 */
export function placeRemsError(
  error: unknown,
  fieldIds: readonly string[],
): { fieldErrors: FormErrors; message: string | null } {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof ApiError) || !error.field) return { fieldErrors: {}, message };
  const field = error.field;
  if (field.startsWith('answers.')) {
    const id = field.slice('answers.'.length);
    if (message.startsWith(UNANSWERED)) {
      const open = message.slice(UNANSWERED.length).split(',').map((s) => s.trim()).filter((s) => fieldIds.includes(s));
      const fieldErrors: FormErrors = {};
      for (const name of new Set([id, ...open])) fieldErrors[`answers.${name}`] = 'is required';
      return { fieldErrors, message };
    }
    if (fieldIds.includes(id)) return { fieldErrors: { [field]: message }, message: null };
    return { fieldErrors: {}, message };
  }
  if ((REMS_META_FIELDS as readonly string[]).includes(field)) return { fieldErrors: { [field]: message }, message: null };
  return { fieldErrors: {}, message };
}

/** Whether a protocol document lists the pre-dose check that makes a session a REMS session. */
export function protocolHasRems(document: unknown): boolean {
  const checks = (document as { pre_dose?: { checks?: { id?: unknown }[] } } | null)?.pre_dose?.checks;
  return Array.isArray(checks) && checks.some((c) => c?.id === 'rems_enrolment');
}

/** The tracker's two lists: forms still due, most urgent first (overdue on top), and submitted ones, latest first. */
export function splitTracker<T extends { status: RemsFormStatus; days_left: number | null; due_on: string; submitted_on: string | null }>(
  items: readonly T[],
): { due: T[]; submitted: T[] } {
  const rank = (i: T) => (i.days_left ?? (i.status === 'overdue' ? -Infinity : Infinity));
  const due = items.filter((i) => i.status !== 'submitted').sort((a, b) => rank(a) - rank(b) || a.due_on.localeCompare(b.due_on));
  const submitted = items
    .filter((i) => i.status === 'submitted')
    .sort((a, b) => (b.submitted_on ?? '').localeCompare(a.submitted_on ?? ''));
  return { due, submitted };
}
