// Pure logic of the chart's Integration section: the fields of a SOAP or DAP note, the note
// form's body (only the chosen format's fields are sent; a correction carries amends_id), the
// form paths a server error may name, which notes a later note corrects, the latest total of
// each instrument, and how a dosing session is named in the list.
import type { CareSummarySession, IntegrationNote, IntegrationNoteBody, NoteFormat } from '../api/integration';
import type { TrajectoryRow } from '../measures/measureForm';
import { dateTime } from '../lib/format';
import type { Built, FormErrors } from '../sessions/sessionLogic';

export const NOTE_FORMATS: readonly { value: NoteFormat; label: string }[] = [
  { value: 'soap', label: 'SOAP (subjective, objective, assessment, plan)' },
  { value: 'dap', label: 'DAP (data, assessment, plan)' },
];

/** The fields of each format, in order (the server requires every one: integration_service.cpp). */
export const FORMAT_FIELDS: Record<NoteFormat, readonly { key: string; label: string }[]> = {
  soap: [
    { key: 'subjective', label: 'Subjective' },
    { key: 'objective', label: 'Objective' },
    { key: 'assessment', label: 'Assessment' },
    { key: 'plan', label: 'Plan' },
  ],
  dap: [
    { key: 'data', label: 'Data' },
    { key: 'assessment', label: 'Assessment' },
    { key: 'plan', label: 'Plan' },
  ],
};

/** Every body path the server may name in an error, so each is shown next to its control. */
export const NOTE_FORM_PATHS: readonly string[] = [
  'session_id',
  'format',
  'homework',
  'coping_plan',
  'amends_id',
  ...new Set(Object.values(FORMAT_FIELDS).flatMap((fs) => fs.map((f) => `fields.${f.key}`))),
];

export interface NoteFormState {
  session_id: string;
  format: NoteFormat;
  /** Text of every field typed so far, of either format (switching format keeps shared ones). */
  fields: Record<string, string>;
  homework: string;
  coping_plan: string;
  /** The note this one corrects, or null for a new note. */
  amends_id: number | null;
}

export function emptyNoteForm(sessionId = ''): NoteFormState {
  return { session_id: sessionId, format: 'soap', fields: {}, homework: '', coping_plan: '', amends_id: null };
}

/** A correction starts from the note it corrects: same session, format and text, naming it. */
export function correctionForm(note: IntegrationNote): NoteFormState {
  return {
    session_id: String(note.session_id),
    format: note.format,
    fields: { ...note.fields },
    homework: note.homework,
    coping_plan: note.coping_plan,
    amends_id: note.id,
  };
}

/**
 * The POST body. Only the session choice is checked here; the text rules (every field of
 * the format required, not blank) are the server's, and its error is placed on the field.
 */
export function noteBody(form: NoteFormState): Built<IntegrationNoteBody> {
  const errors: FormErrors = {};
  const sessionId = /^\d+$/.test(form.session_id) ? Number(form.session_id) : Number.NaN;
  if (!Number.isSafeInteger(sessionId) || sessionId < 1) errors.session_id = 'choose the dosing session this note integrates';
  if (Object.keys(errors).length) return { body: null, errors };
  const fields: Record<string, string> = {};
  for (const { key } of FORMAT_FIELDS[form.format]) fields[key] = form.fields[key] ?? '';
  const body: IntegrationNoteBody = {
    session_id: sessionId,
    format: form.format,
    fields,
    homework: form.homework,
    coping_plan: form.coping_plan,
  };
  if (form.amends_id !== null) body.amends_id = form.amends_id;
  return { body, errors };
}

/** For each note id, the ids of the later notes that correct it (oldest first). */
export function correctionsOf(notes: readonly IntegrationNote[]): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const note of [...notes].sort((a, b) => a.id - b.id)) {
    if (note.amends_id === null) continue;
    const list = map.get(note.amends_id) ?? [];
    list.push(note.id);
    map.set(note.amends_id, list);
  }
  return map;
}

/** Notes newest first (the server's order, kept even if it changes). */
export function newestFirst(notes: readonly IntegrationNote[]): IntegrationNote[] {
  return [...notes].sort((a, b) => (a.signed_at === b.signed_at ? b.id - a.id : a.signed_at < b.signed_at ? 1 : -1));
}

/** The most recent scored measure of each instrument, by instrument key. */
export function latestMeasures<T extends TrajectoryRow>(rows: readonly T[]): T[] {
  const latest = new Map<string, T>();
  for (const row of rows) {
    if (row.total === null) continue;
    const seen = latest.get(row.instrument);
    if (!seen || row.administered_at >= seen.administered_at) latest.set(row.instrument, row);
  }
  return [...latest.values()].sort((a, b) => a.instrument.localeCompare(b.instrument));
}

const LAST_EVENT: Record<string, string> = {
  check_in: 'checked in',
  readiness: 'readiness checked',
  dose_order: 'dose ordered',
  start: 'dosing',
  stop: 'dosing stopped',
  ready_for_discharge: 'ready for discharge',
  discharge: 'discharged',
  cancel: 'cancelled',
};

export function lastEventLabel(kind: string): string {
  return LAST_EVENT[kind] ?? kind.replace(/_/g, ' ');
}

/** "Session 12 · 2 Dec 2026, 09:30 · Chair 2 · discharged". */
export function sessionLabel(session: CareSummarySession): string {
  return `Session ${session.id} · ${dateTime(session.checked_in_at)} · ${session.chair} · ${lastEventLabel(session.last_event)}`;
}

const BOOSTER_RULES: Record<string, string> = {
  loss_of_response: 'Loss of response',
  reliable_deterioration: 'Reliable deterioration (Jacobson–Truax)',
};

export function boosterRuleLabel(rule: string): string {
  return BOOSTER_RULES[rule] ?? rule.replace(/_/g, ' ');
}

/** The summary's latest sessions followed by the older pages loaded, each session once, latest first. */
export function withOlderSessions(latest: readonly CareSummarySession[], older: readonly CareSummarySession[]): CareSummarySession[] {
  const seen = new Set<number>();
  const out: CareSummarySession[] = [];
  for (const s of [...latest, ...older]) {
    if (seen.has(s.id)) continue;
    seen.add(s.id);
    out.push(s);
  }
  return out.sort((a, b) => b.id - a.id);
}
