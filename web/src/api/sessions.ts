// Dosing-session endpoints (docs/sessions.md): check-in, the day list, one session's view,
// the readiness checklist, the prescriber's dose order, timeline events and the note.
// Patient and course ids travel in bodies; only the session id appears in a path.
import { apiRequest, withQuery } from './client';

export type SessionPhase =
  | 'checked_in'
  | 'dosing'
  | 'paused'
  | 'recovery'
  | 'ready_for_discharge'
  | 'discharged'
  | 'cancelled';

export type ActionKind =
  | 'start'
  | 'rate_change'
  | 'pause'
  | 'resume'
  | 'stop'
  | 'ready_for_discharge'
  | 'discharge'
  | 'cancel';

export type EventKind =
  | 'check_in'
  | 'readiness'
  | 'dose_order'
  | ActionKind
  | 'device'
  | 'rescue_medication'
  | 'vitals'
  | 'score'
  | 'adverse_event';

export interface SessionPatient {
  id: number;
  mrn: string;
  family_name: string;
  given_names: string;
}

/** One row of the day list (SessionSummaryJson). */
export interface SessionSummary {
  id: number;
  patient: SessionPatient;
  course_id: number;
  protocol: { id: string; version: number; title: string };
  chair: string;
  phase: SessionPhase;
  phase_started_at: string;
  phase_minutes: number;
  checked_in_at: string;
  vitals_due_at: string | null;
  vitals_overdue: boolean;
  next_due: string;
}

export interface ReadinessItem {
  id: string;
  label: string;
  ok: boolean;
  message: string | null;
  unconfirmed: boolean;
}

export interface VitalsValues {
  systolic_mmhg?: number;
  diastolic_mmhg?: number;
  heart_rate_bpm?: number;
  spo2_percent?: number;
  respiratory_rate_per_min?: number;
}

export interface ReadinessResult {
  passed: boolean;
  items: ReadinessItem[];
  answers: {
    fasting_confirmed: boolean;
    escort_name: string;
    held_medications_confirmed: boolean;
    pregnancy_test: 'negative' | 'positive' | 'not_applicable' | null;
    vitals: VitalsValues;
  };
  recorded_by: string;
  occurred_at: string;
}

export interface DoseOrder {
  protocol: string;
  route: string;
  weight_kg: number;
  weight_measured_on: string;
  dose_mg: number;
  dose_mg_per_kg?: number;
  vial_strength_mg_per_ml?: number;
  volume_to_draw_ml?: number;
  final_volume_ml?: number;
  final_concentration_mg_per_ml?: number;
  protocol_maximum_mg_per_kg?: number;
  pump_rate_ml_per_h?: number;
  duration_min?: number;
  devices?: number;
  rest_between_devices_min?: number;
  indication?: 'trd' | 'mdd_suicidal_ideation';
  /** Esketamine, the course's first dose: the day-1 dose rule applied (null on later doses). */
  first_dose?: FirstDoseRule | null;
  prediction?: { model: string; citation: string; peak_plasma_ng_per_ml: number; peak_minute: number };
  recorded_by: string;
  occurred_at: string;
}

export interface FirstDoseRule {
  rule_id: string;
  band: string;
  age_years: number;
  limit_mg: number | null;
  /** The limit or its age band is UNCONFIRMED in clinical-reference.md (check the US label). */
  unconfirmed: boolean;
  source: { key: string; citation: string; reference: string } | null;
  override: { reason: string; by: string; at: string } | null;
  refusal?: string;
}

/** Esketamine devices given of those ordered, and when the next may be given. */
export interface SessionDevices {
  ordered: number;
  given: number;
  items: { device_number: number; occurred_at: string; observed_by: string; ledger: { sequence: number; lot_id: number } | null }[];
  rest_between_devices_min: number | null;
  next_allowed_at: string | null;
  seconds_to_next: number | null;
}

export interface SessionEvent {
  sequence: number;
  kind: EventKind;
  occurred_at: string;
  data: Record<string, unknown>;
  recorded_at: string;
  recorded_by: string;
}

/** GET /api/v1/sessions/{id} (SessionJson). */
export interface DosingSession extends SessionSummary {
  appointment_id: number | null;
  checked_in_by: string;
  started_at: string | null;
  stopped_at: string | null;
  readiness: ReadinessResult | null;
  dose_order: DoseOrder | null;
  events: SessionEvent[];
  /** true, or the rule that forbids the move now. */
  allowed: Partial<Record<ActionKind | 'device', true | string>>;
  devices: SessionDevices | null;
  discharge_rules: { aldrete_min: number | null; observation_min_minutes: number | null };
  discharge_criteria: { id: string; text: string }[];
  after_care: { id: string; text: string }[];
}

export interface NoteFields {
  assessment: string;
  response: string;
  plan: string;
  complications: string;
}

export interface SessionNote {
  session_id: number;
  patient: SessionPatient;
  summary: {
    protocol: string;
    chair: string;
    checked_in_at: string;
    phase: SessionPhase;
    dose_order?: DoseOrder;
    started_at?: string;
    stopped_at?: string;
    completed?: boolean;
    discharged_at?: string;
    escort?: string;
    cancelled?: { at: string; reason: string };
    vitals: Partial<Record<keyof VitalsValues, { min: number; max: number; count: number }>>;
    scores: { at: string; instrument: string; total: number | null }[];
    rescue_medications: { at: string; medication: string; dose: number; unit: string; reason: string }[];
    adverse_events: { at: string; description: string; severity: string; action: string; outcome: string }[];
    pauses: { at: string; reason: string }[];
  };
  fields: NoteFields;
  required_fields: (keyof NoteFields)[];
  open_required_fields: (keyof NoteFields)[];
  version: number;
  saved_at: string | null;
  saved_by: string | null;
  signed: { at: string; by: string; version: number } | null;
  addenda: { id: number; text: string; signed_at: string; signed_by: string }[];
}

export interface CourseOption {
  id: number;
  protocol_id: string;
  protocol_title: string;
  protocol_version: number;
  state: string;
  goal: string;
}

export function checkIn(body: { course_id: number; chair: string }): Promise<DosingSession> {
  return apiRequest<DosingSession>('POST', '/api/v1/sessions', body);
}

export function listDay(date: string): Promise<{ date: string; items: SessionSummary[] }> {
  return apiRequest('GET', withQuery('/api/v1/sessions', { date }));
}

export function getSession(id: string): Promise<DosingSession> {
  return apiRequest<DosingSession>('GET', `/api/v1/sessions/${id}`);
}

export function recordReadiness(id: string, body: Record<string, unknown>): Promise<DosingSession> {
  return apiRequest<DosingSession>('POST', `/api/v1/sessions/${id}/readiness`, body);
}

export function orderDose(id: string, body: Record<string, unknown>): Promise<DosingSession> {
  return apiRequest<DosingSession>('POST', `/api/v1/sessions/${id}/dose-order`, body);
}

export function recordEvent(id: string, body: Record<string, unknown>): Promise<DosingSession> {
  return apiRequest<DosingSession>('POST', `/api/v1/sessions/${id}/events`, body);
}

export function getNote(id: string): Promise<SessionNote> {
  return apiRequest<SessionNote>('GET', `/api/v1/sessions/${id}/note`);
}

export function saveNote(id: string, fields: NoteFields, version: number): Promise<SessionNote> {
  return apiRequest<SessionNote>('PUT', `/api/v1/sessions/${id}/note`, { fields, version });
}

export function signNote(id: string, version: number): Promise<SessionNote> {
  return apiRequest<SessionNote>('POST', `/api/v1/sessions/${id}/note/sign`, { version });
}

export function addAddendum(id: string, text: string): Promise<SessionNote> {
  return apiRequest<SessionNote>('POST', `/api/v1/sessions/${id}/note/addenda`, { text });
}

export function listCourses(patientId: number): Promise<{ items: CourseOption[] }> {
  return apiRequest('GET', `/api/v1/patients/${patientId}/courses`);
}
