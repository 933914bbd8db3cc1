// Pure logic of the session pages: the phase timer, which timeline buttons are enabled
// from the view's `allowed` map, form values -> request bodies (with the format errors
// found before sending; ranges and rules are the server's), the Aldrete total preview,
// where a server error belongs, and one line per timeline event.
import { ApiError } from '../api/client';
import type { ActionKind, SessionEvent, SessionPhase, SessionSummary } from '../api/sessions';

export const PHASE_LABELS: Record<SessionPhase, string> = {
  checked_in: 'Checked in',
  dosing: 'Dosing',
  paused: 'Paused',
  recovery: 'Recovery',
  ready_for_discharge: 'Ready for discharge',
  discharged: 'Discharged',
  cancelled: 'Cancelled',
};

export function phaseLabel(phase: string): string {
  return PHASE_LABELS[phase as SessionPhase] ?? phase;
}

/** Whether the session still runs (the board and the timer tick only for these). */
export function isOpenPhase(phase: SessionPhase): boolean {
  return phase !== 'discharged' && phase !== 'cancelled';
}

/** Milliseconds from an ISO timestamp to now; never negative (a client clock behind the server). */
export function elapsedMs(sinceIso: string, nowMs: number): number {
  const since = Date.parse(sinceIso);
  if (Number.isNaN(since)) return 0;
  return Math.max(0, nowMs - since);
}

/** "4:07" under an hour, "1:02:03" from an hour on. */
export function formatElapsed(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}

/** Whole minutes, as the day list shows them: "0 min", "12 min". */
export function minutesLabel(ms: number): string {
  return `${Math.floor(Math.max(0, ms) / 60_000)} min`;
}

/** Vitals are due now if the server said so, or their due time has passed since it answered. */
export function vitalsDueNow(s: Pick<SessionSummary, 'vitals_due_at' | 'vitals_overdue' | 'phase'>, nowMs: number): boolean {
  if (!isOpenPhase(s.phase)) return false;
  if (s.vitals_overdue) return true;
  if (!s.vitals_due_at) return false;
  const due = Date.parse(s.vitals_due_at);
  return !Number.isNaN(due) && due <= nowMs;
}

export interface ActionDef {
  kind: ActionKind;
  label: string;
  /** Asks for more before it is sent (the stock the dose came from, a reason, or the discharge questions). */
  form: 'none' | 'start' | 'reason' | 'discharge';
  /** May be charted after the fact with the time it happened (occurredAt.ts). */
  timed?: true;
}

/** The timeline's buttons in the order they happen. Rate change has no button yet. */
export const ACTIONS: readonly ActionDef[] = [
  { kind: 'start', label: 'Start dosing', form: 'start', timed: true },
  { kind: 'pause', label: 'Pause', form: 'reason', timed: true },
  { kind: 'resume', label: 'Resume', form: 'none', timed: true },
  { kind: 'stop', label: 'Stop dosing', form: 'none', timed: true },
  { kind: 'ready_for_discharge', label: 'Ready for discharge', form: 'none', timed: true },
  { kind: 'discharge', label: 'Discharge', form: 'discharge', timed: true },
  { kind: 'cancel', label: 'Cancel session', form: 'reason', timed: true },
];

export interface ActionState extends ActionDef {
  enabled: boolean;
  /** The rule that blocks it, verbatim from the server, or why this user cannot. */
  blockedBy: string | null;
}

export const NO_RECORD_PERMISSION = 'your roles do not include recording on a session (session.record)';

/** Each button enabled or not from `allowed` (true, or the blocking rule) and the user's permission. */
export function actionStates(allowed: Partial<Record<ActionKind, true | string>>, canRecord: boolean): ActionState[] {
  return ACTIONS.map((action) => {
    const verdict = allowed[action.kind];
    if (verdict === undefined) return { ...action, enabled: false, blockedBy: 'the server did not say whether this is allowed' };
    if (verdict !== true) return { ...action, enabled: false, blockedBy: verdict };
    if (!canRecord) return { ...action, enabled: false, blockedBy: NO_RECORD_PERMISSION };
    return { ...action, enabled: true, blockedBy: null };
  });
}

export type FormErrors = Record<string, string>;

export interface Built<T> {
  body: T | null;
  errors: FormErrors;
}

/** A whole number from a text box: undefined when empty, NaN when not a whole number. */
export function wholeNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return /^-?\d+$/.test(t) ? Number(t) : Number.NaN;
}

/** A decimal number from a text box (comma or point): undefined when empty, NaN when unreadable. */
export function decimalNumber(text: string): number | undefined {
  const t = text.trim().replace(',', '.');
  if (t === '') return undefined;
  return /^-?(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : Number.NaN;
}

export const VITAL_FIELDS = [
  { key: 'systolic_mmhg', label: 'Systolic (mmHg)' },
  { key: 'diastolic_mmhg', label: 'Diastolic (mmHg)' },
  { key: 'heart_rate_bpm', label: 'Heart rate (/min)' },
  { key: 'spo2_percent', label: 'SpO₂ (%)' },
  { key: 'respiratory_rate_per_min', label: 'Respiratory rate (/min)' },
] as const;

export type VitalKey = (typeof VITAL_FIELDS)[number]['key'];
export type VitalsForm = Partial<Record<VitalKey, string>>;

/** The vitals entered, as numbers; `prefix` names the error paths the way the server does ("vitals."). */
export function vitalsValues(form: VitalsForm, prefix = ''): Built<Partial<Record<VitalKey, number>>> {
  const values: Partial<Record<VitalKey, number>> = {};
  const errors: FormErrors = {};
  for (const { key } of VITAL_FIELDS) {
    const v = wholeNumber(form[key] ?? '');
    if (v === undefined) continue;
    if (Number.isNaN(v)) errors[prefix + key] = 'must be a whole number';
    else values[key] = v;
  }
  return { body: Object.keys(errors).length ? null : values, errors };
}

/** POST /events {"kind":"vitals",...}: at least one value. */
export function vitalsEventBody(form: VitalsForm): Built<Record<string, unknown>> {
  const built = vitalsValues(form);
  if (!built.body) return built;
  if (Object.keys(built.body).length === 0) return { body: null, errors: { systolic_mmhg: 'enter at least one vital sign' } };
  return { body: { kind: 'vitals', ...built.body }, errors: {} };
}

export type PregnancyTest = '' | 'negative' | 'positive' | 'not_applicable';

export interface ReadinessForm {
  fasting_confirmed: boolean;
  escort_name: string;
  held_medications_confirmed: boolean;
  pregnancy_test: PregnancyTest;
  vitals: VitalsForm;
}

export function readinessBody(form: ReadinessForm): Built<Record<string, unknown>> {
  const vitals = vitalsValues(form.vitals, 'vitals.');
  if (!vitals.body) return { body: null, errors: vitals.errors };
  const body: Record<string, unknown> = {
    fasting_confirmed: form.fasting_confirmed,
    escort_name: form.escort_name.trim(),
    held_medications_confirmed: form.held_medications_confirmed,
    vitals: vitals.body,
  };
  if (form.pregnancy_test) body.pregnancy_test = form.pregnancy_test;
  return { body, errors: {} };
}

export const VIAL_STRENGTHS = [10, 50, 100] as const;

export interface DoseOrderForm {
  dose_mg_per_kg: string;
  vial_strength_mg_per_ml: string;
  diluent_ml: string;
  duration_min: string;
  dose_mg: string;
  /** Intranasal esketamine: the indication and an override of the day-1 dose rule. */
  indication?: 'trd' | 'mdd_suicidal_ideation';
  override_rule?: string;
  override_reason?: string;
}

/** The day-1 dose rules a prescriber may override (data/protocols/intranasal-esketamine.json). */
export const FIRST_DOSE_RULES = [
  { value: 'first_dose_under_65', label: 'Day-1 dose, adults under 65 (first_dose_under_65)' },
  { value: 'first_dose_65_and_over', label: 'Day-1 dose, age 65 and over (first_dose_65_and_over; unconfirmed)' },
  { value: 'mdsi_dose', label: 'MDD with acute suicidal ideation (mdsi_dose)' },
] as const;

/** Injected routes order mg/kg from a vial (IV also a duration); others a dose in mg. */
export function isInjectedRoute(route: string): boolean {
  return route === 'intravenous' || route === 'intramuscular';
}

/** The dose-order body for the protocol's route (docs/sessions.md "The dose order"). */
export function doseOrderBody(form: DoseOrderForm, route = 'intravenous'): Built<Record<string, unknown>> {
  const errors: FormErrors = {};
  const body: Record<string, unknown> = {};
  if (!isInjectedRoute(route)) {
    const mg = decimalNumber(form.dose_mg);
    if (mg === undefined) errors.dose_mg = 'is required';
    else if (Number.isNaN(mg) || mg <= 0) errors.dose_mg = 'must be a positive number of mg';
    else body.dose_mg = mg;
    if (route === 'intranasal') {
      body.indication = form.indication ?? 'trd';
      const reason = form.override_reason?.trim() ?? '';
      if (form.override_rule || reason) {
        if (!form.override_rule) errors['first_dose_override.rule_id'] = 'choose the rule you override';
        if (!reason) errors['first_dose_override.reason'] = 'say why the day-1 dose is overridden';
        body.first_dose_override = { rule_id: form.override_rule, reason };
      }
    }
    return Object.keys(errors).length ? { body: null, errors } : { body, errors };
  }
  const perKg = decimalNumber(form.dose_mg_per_kg);
  if (perKg === undefined) errors.dose_mg_per_kg = 'is required';
  else if (Number.isNaN(perKg) || perKg <= 0) errors.dose_mg_per_kg = 'must be a positive number';
  else body.dose_mg_per_kg = perKg;
  if (!form.vial_strength_mg_per_ml) errors.vial_strength_mg_per_ml = 'choose the vial strength';
  else body.vial_strength_mg_per_ml = Number(form.vial_strength_mg_per_ml);
  const diluent = decimalNumber(form.diluent_ml);
  if (diluent !== undefined) {
    if (Number.isNaN(diluent) || diluent < 0) errors.diluent_ml = 'must be a number of mL, 0 or more';
    else body.diluent_ml = diluent;
  }
  const duration = route === 'intravenous' ? decimalNumber(form.duration_min) : undefined;
  if (duration !== undefined) {
    if (Number.isNaN(duration) || duration <= 0) errors.duration_min = 'must be a positive number of minutes';
    else body.duration_min = duration;
  }
  return Object.keys(errors).length ? { body: null, errors } : { body, errors };
}

export interface RescueForm {
  medication: string;
  dose: string;
  unit: string;
  route: string;
  reason: string;
}

export const RESCUE_UNITS = ['mg', 'mcg', 'mL', 'units'] as const;
export const RESCUE_ROUTES = ['intravenous', 'intramuscular', 'oral', 'sublingual', 'subcutaneous', 'intranasal', 'inhaled'] as const;

export function rescueBody(form: RescueForm): Built<Record<string, unknown>> {
  const errors: FormErrors = {};
  if (!form.medication.trim()) errors.medication = 'is required';
  const dose = decimalNumber(form.dose);
  if (dose === undefined) errors.dose = 'is required';
  else if (Number.isNaN(dose) || dose <= 0) errors.dose = 'must be a positive number';
  if (!form.unit) errors.unit = 'choose the unit';
  if (!form.route) errors.route = 'choose the route';
  if (!form.reason.trim()) errors.reason = 'is required';
  if (Object.keys(errors).length) return { body: null, errors };
  return {
    body: { kind: 'rescue_medication', medication: form.medication.trim(), dose, unit: form.unit, route: form.route, reason: form.reason.trim() },
    errors,
  };
}

export interface AdverseForm {
  description: string;
  severity: string;
  action: string;
  outcome: string;
}

export const SEVERITIES = [
  { value: 'mild', label: 'Mild' },
  { value: 'moderate', label: 'Moderate' },
  { value: 'severe', label: 'Severe' },
  { value: 'life_threatening', label: 'Life-threatening' },
] as const;

export function adverseBody(form: AdverseForm): Built<Record<string, unknown>> {
  const errors: FormErrors = {};
  for (const key of ['description', 'action', 'outcome'] as const) if (!form[key].trim()) errors[key] = 'is required';
  if (!form.severity) errors.severity = 'choose the severity';
  if (Object.keys(errors).length) return { body: null, errors };
  return {
    body: { kind: 'adverse_event', description: form.description.trim(), severity: form.severity, action: form.action.trim(), outcome: form.outcome.trim() },
    errors,
  };
}

/** A score event; `answers` are the item texts in item order, all required. */
export function scoreBody(instrument: 'moaas' | 'aldrete' | 'cadss', answers: string[]): Built<Record<string, unknown>> {
  const errors: FormErrors = {};
  const values: number[] = [];
  answers.forEach((text, i) => {
    const v = wholeNumber(text);
    if (v === undefined) errors[`answers[${i}]`] = 'is required';
    else if (Number.isNaN(v)) errors[`answers[${i}]`] = 'must be a whole number';
    else values.push(v);
  });
  if (Object.keys(errors).length) return { body: null, errors };
  return { body: { kind: 'score', instrument, answers: values }, errors };
}

/** The Aldrete total while the form is filled: null until every item has a value. */
export function aldreteTotal(answers: string[]): number | null {
  let total = 0;
  for (const text of answers) {
    const v = wholeNumber(text);
    if (v === undefined || Number.isNaN(v)) return null;
    total += v;
  }
  return answers.length ? total : null;
}

export function aldretePreview(answers: string[], minimum: number | null): string {
  const total = aldreteTotal(answers);
  const filled = answers.filter((a) => a.trim() !== '').length;
  if (total === null) return `Total: ${filled} of ${answers.length} items scored`;
  if (minimum === null) return `Total ${total} of 10`;
  return total >= minimum
    ? `Total ${total} of 10: meets the discharge minimum of ${minimum}`
    : `Total ${total} of 10: below the discharge minimum of ${minimum}`;
}

/**
 * Splits a server error between the form's fields and the form itself: an error naming one
 * of `fields` goes next to it; anything else (a 409 naming "kind", a network failure) is
 * shown verbatim above the form.
 */
export function placeError(error: unknown, fields: readonly string[]): { fieldErrors: FormErrors; message: string | null } {
  if (error instanceof ApiError && error.field && fields.includes(error.field)) {
    return { fieldErrors: { [error.field]: error.message }, message: null };
  }
  return { fieldErrors: {}, message: error instanceof Error ? error.message : String(error) };
}

const EVENT_LABELS: Record<string, string> = {
  check_in: 'Checked in',
  readiness: 'Readiness checklist',
  dose_order: 'Dose ordered',
  start: 'Dosing started',
  device: 'Esketamine device',
  rate_change: 'Rate changed',
  pause: 'Paused',
  resume: 'Resumed',
  stop: 'Dosing stopped',
  rescue_medication: 'Rescue medication',
  vitals: 'Vitals',
  score: 'Score',
  adverse_event: 'Adverse event',
  ready_for_discharge: 'Ready for discharge',
  discharge: 'Discharged',
  cancel: 'Cancelled',
};

const INSTRUMENT_LABELS: Record<string, string> = { moaas: 'MOAA/S', aldrete: 'Modified Aldrete', cadss: 'CADSS' };

export function eventLabel(event: SessionEvent): string {
  if (event.kind === 'score') return INSTRUMENT_LABELS[String(event.data.instrument)] ?? 'Score';
  return EVENT_LABELS[event.kind] ?? event.kind;
}

const VITAL_SHORT: Record<VitalKey, [string, string]> = {
  systolic_mmhg: ['BP', ''],
  diastolic_mmhg: ['', ''],
  heart_rate_bpm: ['HR', '/min'],
  spo2_percent: ['SpO₂', '%'],
  respiratory_rate_per_min: ['RR', '/min'],
};

/** One line of what an event says. */
export function eventDetail(event: SessionEvent): string {
  const d = event.data;
  const s = (key: string) => (d[key] === undefined || d[key] === null ? '' : String(d[key]));
  switch (event.kind) {
    case 'check_in':
      return s('chair');
    case 'readiness':
      return d.passed ? 'passed' : 'not passed';
    case 'dose_order':
      return `${s('dose_mg')} mg${d.dose_mg_per_kg !== undefined ? ` (${s('dose_mg_per_kg')} mg/kg)` : ''}`;
    case 'vitals': {
      const parts: string[] = [];
      if (d.systolic_mmhg !== undefined || d.diastolic_mmhg !== undefined) {
        parts.push(`BP ${s('systolic_mmhg') || '–'}/${s('diastolic_mmhg') || '–'} mmHg`);
      }
      for (const key of ['heart_rate_bpm', 'spo2_percent', 'respiratory_rate_per_min'] as const) {
        if (d[key] !== undefined) parts.push(`${VITAL_SHORT[key][0]} ${s(key)}${VITAL_SHORT[key][1]}`);
      }
      return parts.join(', ');
    }
    case 'score':
      return `total ${s('total')}`;
    case 'rescue_medication':
      return `${s('medication')} ${s('dose')} ${s('unit')} ${s('route')}; ${s('reason')}`;
    case 'adverse_event':
      return `${s('severity')}: ${s('description')}; action: ${s('action')}; outcome: ${s('outcome')}`;
    case 'pause':
    case 'cancel':
      return s('reason');
    case 'stop':
      return d.completed === false ? `not completed${s('reason') ? `: ${s('reason')}` : ''}` : 'completed';
    case 'rate_change':
      return `${s('rate_ml_per_h')} mL/h${s('reason') ? `; ${s('reason')}` : ''}`;
    case 'start': {
      const ledger = d.ledger as { sequence?: number; lot_id?: number; administered_ug?: number } | undefined;
      if (!ledger?.sequence) return 'no ledger link';
      const mg = typeof ledger.administered_ug === 'number' ? `${ledger.administered_ug / 1000} mg administered, ` : '';
      return `${mg}ledger entry #${ledger.sequence} (lot ${ledger.lot_id ?? '?'})`;
    }
    case 'device': {
      const ledger = d.ledger as { sequence?: number } | undefined;
      return `device ${s('device_number')}, observed by ${s('observed_by')}${ledger?.sequence ? `; ledger entry #${ledger.sequence}` : ''}`;
    }
    case 'discharge':
      return `escort: ${s('escort_name') || 'none named'}; instructions ${d.instructions_given ? 'given' : 'not given'}`;
    default:
      return s('note');
  }
}

/** The timeline newest first (the server sends it in sequence order). */
export function newestFirst(events: readonly SessionEvent[]): SessionEvent[] {
  return [...events].sort((a, b) => b.sequence - a.sequence);
}

/** Today's date as the day list reads it: the server compares UTC check-in times. */
export function utcDate(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}
