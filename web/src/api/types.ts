// Wire types of the KetaChart HTTP API v1 (docs/api.md). Only shapes; no logic.

/** Server ids are opaque numbers; JSON may carry them as numbers or strings. */
export type Id = number | string;

export type Permission =
  | 'patient.read'
  | 'patient.write'
  | 'user.read'
  | 'user.admin'
  | 'audit.read'
  | 'monitor.read'
  | 'monitor.setup'
  | 'ledger.read'
  | 'ledger.record'
  | 'ledger.setup'
  | 'measure.read'
  | 'measure.write'
  | 'measure.alert.acknowledge'
  | 'course.read'
  | 'intake.write'
  | 'eligibility.override'
  | 'consent.record'
  | 'course.plan'
  | 'protocol.admin'
  | 'schedule.read'
  | 'schedule.write'
  | 'schedule.setup'
  | 'session.read'
  | 'session.record'
  | 'session.order'
  | 'note.sign'
  | 'integration.write'
  | 'monitor.setup';

/** A safety alert raised by a rating-scale measure (PHQ-9 item 9, C-SSRS high risk, ...). */
export interface MeasureAlert {
  id: number;
  patient_id: number;
  measure_id: number;
  code: string;
  severity: 'urgent' | 'advisory';
  display: string;
  raised_at: string;
  instrument: string;
  patient?: { id: number; mrn: string; family_name: string; given_names: string };
  responsible_clinician?: { id: number; username: string } | null;
  acknowledged: { at: string; by: string; action_note: string } | null;
}

export type Role = 'admin' | 'prescriber' | 'nurse' | 'therapist' | 'front_desk' | 'auditor';

export const ALL_ROLES: readonly Role[] = ['admin', 'prescriber', 'nurse', 'therapist', 'front_desk', 'auditor'];

export interface ClinicMembership {
  id: Id;
  code: string;
  name: string;
  roles: Role[];
}

export interface SessionUser {
  id: Id;
  username: string;
  display_name: string;
}

/** Answer of POST/GET /api/v1/session and PUT /api/v1/session/clinic. */
export interface SessionInfo {
  csrf_token?: string;
  user: SessionUser;
  active_clinic_id: Id;
  clinics: ClinicMembership[];
  permissions: string[];
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export type Sex = 'female' | 'male' | 'intersex' | 'unknown';
export type AllergySeverity = 'mild' | 'moderate' | 'severe' | 'unknown';

export interface Allergy {
  substance: string;
  reaction?: string;
  severity: AllergySeverity;
}

export interface Medication {
  name: string;
  rxnorm_code?: string;
}

export interface Diagnosis {
  icd10_code: string;
  description: string;
}

export interface EmergencyContact {
  name?: string;
  relationship?: string;
  phone?: string;
}

export interface ReferringProvider {
  name?: string;
  organization?: string;
  phone?: string;
}

/** The demographic document sent on create and (with version/change_reason) on replace. */
export interface PatientDocument {
  mrn?: string;
  family_name: string;
  given_names: string;
  birth_date: string;
  sex: Sex;
  gender_identity?: string;
  pronouns?: string;
  phone?: string;
  email?: string;
  address?: string;
  emergency_contact?: EmergencyContact;
  allergies: Allergy[];
  medications: Medication[];
  diagnoses: Diagnosis[];
  referring_provider?: ReferringProvider;
}

export interface PatientUpdate extends PatientDocument {
  version: number;
  change_reason: string;
}

export type MeasurementKind = 'weight' | 'height';

export interface Measurement {
  id: Id;
  kind: MeasurementKind;
  weight_kg?: number;
  height_cm?: number;
  measured_on: string;
  recorded_at: string;
  recorded_by: string | Id;
  note?: string | null;
}

export interface NewMeasurement {
  kind: MeasurementKind;
  weight_kg?: number;
  height_cm?: number;
  measured_on: string;
  note?: string;
}

export interface Patient extends PatientDocument {
  id: Id;
  clinic_id: Id;
  version: number;
  created_at: string;
  updated_at: string;
  measurements?: Measurement[];
  latest_weight?: { weight_kg: number; measured_on: string } | null;
  /** Sent by the server although docs/api.md does not list it. */
  latest_height?: { height_cm: number; measured_on: string } | null;
}

/** One row of GET /patients/{id}/versions (keys as the server sends them; docs/api.md only names the contents). */
export interface PatientVersionSummary {
  version: number;
  recorded_at: string;
  recorded_by: string;
  change_reason: string | null;
}

export interface ClinicUser {
  id: Id;
  username: string;
  display_name: string;
  roles: Role[];
  disabled: boolean;
  locked?: boolean;
  created_at?: string;
}

export interface NewUser {
  username: string;
  display_name: string;
  password: string;
  roles: Role[];
}

export interface AuditEvent {
  id: Id;
  occurred_at: string;
  username: string | null;
  clinic_id: Id | null;
  action: string;
  resource_type: string | null;
  resource_id: Id | null;
  patient_id: Id | null;
  outcome: string;
  client_address: string | null;
  detail?: string;
}

export interface AuditFilter {
  patient?: string;
  user?: string;
  from?: string;
  to?: string;
}

// ---- The patient's course (docs/course.md): protocols, intake, eligibility, consent, courses.

export interface UnconfirmedValue {
  id: string;
  label: string;
}

/** One row of GET /api/v1/protocols: the clinic's active version of a protocol. */
export interface ProtocolSummary {
  id: string;
  version: number;
  title: string;
  drug: string;
  route: string;
  summary: string;
  origin: 'shipped' | 'clinic';
  unconfirmed: UnconfirmedValue[];
}

export interface ProtocolVersionInfo {
  version: number;
  origin: 'shipped' | 'clinic';
  created_at: string | null;
  created_by: string | null;
  change_reason: string | null;
}

/** GET /api/v1/protocols/{id} and the answer of publishing a version. */
export interface ProtocolDetail {
  protocol: Record<string, unknown>;
  version: number;
  digest: string;
  origin: 'shipped' | 'clinic';
  versions: ProtocolVersionInfo[];
}

export type Substance = 'alcohol' | 'cannabis' | 'stimulants' | 'opioids' | 'sedatives' | 'ketamine' | 'other';
export type SubstanceUsePattern = 'history' | 'current' | 'cannot_abstain_24h';
export type HypersensitivityCategory = 'ketamine' | 'esketamine' | 'spravato_excipient' | 'other';

export interface IntakeSubstanceUse {
  substance: string;
  pattern: string;
  notes?: string;
}

export interface IntakeMedication {
  name: string;
  rxnorm?: string;
  daily_dose_mg?: number;
  classes?: string[];
  diazepam_equivalent_mg_per_day?: number;
}

export interface IntakeAllergy {
  substance: string;
  reaction?: string;
  category: string;
}

export interface IntakeVitals {
  systolic_mmhg?: number;
  diastolic_mmhg?: number;
  heart_rate_bpm?: number;
  spo2_percent?: number;
  respiratory_rate_per_min?: number;
}

/** The intake document the server's strict reader accepts (src/clinical/intake/intake.cpp ReadIntake). */
export interface IntakeDocument {
  age_years?: number;
  weight_kg?: number;
  conditions?: string[];
  medical_history_notes?: string;
  psychiatric_history_notes?: string;
  substance_use?: IntakeSubstanceUse[];
  medications?: IntakeMedication[];
  allergies?: IntakeAllergy[];
  vitals?: IntakeVitals;
  goals?: string;
  referring_provider?: string;
}

export interface IntakeVersion {
  id: Id;
  version: number;
  intake: IntakeDocument;
  digest: string;
  reason: string | null;
  recorded_at: string;
  recorded_by: string;
  /** Only in the answer of recording an intake: the decisions made again for the new version. */
  reevaluated_decisions?: unknown[];
}

/** A vocabulary word; the server may send a bare code or {code, display}. */
export type VocabularyEntry = string | { code: string; display?: string };

export interface IntakeVocabulary {
  conditions: VocabularyEntry[];
  medication_classes: VocabularyEntry[];
  hypersensitivity_categories: VocabularyEntry[];
  substances: VocabularyEntry[];
  substance_use_patterns: VocabularyEntry[];
}

export type FindingSeverity = 'hard_stop' | 'warning' | 'info';

/** The source of a finding: the server sends {key, citation, reference}; a bare key is accepted too. */
export type FindingSource = string | { key?: string; id?: string; reference?: string; citation?: string } | null;

export interface EligibilityFinding {
  rule_id: string;
  severity: FindingSeverity;
  message: string;
  source: FindingSource;
  /** docs/course.md lists a top-level citation; the server puts it in source.citation. */
  citation?: string | null;
  unconfirmed: boolean;
  needs_override: boolean;
  override: null | { reason: string; by: string; at: string };
}

export type EligibilityOutcome = 'eligible' | 'eligible_with_warnings' | 'not_eligible';

export interface EligibilityDecision {
  id: Id;
  patient_id: Id;
  protocol_id: string;
  protocol_version: number;
  protocol_title: string;
  intake_id: Id;
  intake_version: number;
  outcome: EligibilityOutcome;
  fingerprint: string;
  decided_at: string;
  decided_by: string;
  current: boolean;
  stale_reason: string | null;
  cleared: boolean;
  /** Why the decision does not clear treatment, naming the rule; null when cleared. */
  gate_message?: string | null;
  protocol_digest?: string;
  intake_digest?: string;
  findings: EligibilityFinding[];
}

export interface ConsentDocument {
  id: Id;
  protocol_id: string;
  version: number;
  title: string;
  body: string;
  valid_for_days: number;
  requires_reconsent: boolean;
  change_reason: string | null;
  created_at: string;
  created_by: string;
}

export interface NewConsentDocument {
  protocol_id: string;
  title: string;
  body: string;
  valid_for_days: number;
  requires_reconsent: boolean;
  change_reason: string;
}

export type ConsentStatus = 'valid' | 'expired' | 'revoked' | 'superseded';

export interface Consent {
  id: Id;
  patient_id: Id;
  document_id: Id;
  protocol_id: string;
  document_version: number;
  title: string;
  signed_name: string;
  signed_on: string;
  expires_on: string | null;
  witness_name: string | null;
  recorded_at: string;
  recorded_by: string;
  revoked: null | { reason: string; at: string; by: string };
  status: ConsentStatus;
  status_message: string;
  signature_png?: string;
}

export interface NewConsent {
  document_id: Id;
  signed_name: string;
  signature_png: string;
  signed_on: string;
  witness_name: string;
}

export type CourseState = 'evaluation' | 'induction' | 'maintenance' | 'booster' | 'discontinued';

export interface CourseTransition {
  sequence: number;
  from: CourseState | null;
  to: CourseState;
  reason: string;
  at: string;
  by: string;
  protocol_version: number;
}

export interface AllowedTransition {
  to: CourseState;
  ready: boolean;
  blocked_by: string[];
}

export interface ReadinessItem {
  ok: boolean;
  message: string;
  decision_id?: Id | null;
  consent_id?: Id | null;
}

export interface TreatmentCourse {
  id: Id;
  patient_id: Id;
  protocol_id: string;
  protocol_title: string;
  goal: string;
  state: CourseState;
  created_at: string;
  created_by: string;
  reevaluation_due_on: string | null;
  transitions: CourseTransition[];
  allowed: AllowedTransition[];
  readiness: { eligibility: ReadinessItem; consent: ReadinessItem };
}

export interface CourseTransitionRequest {
  to: CourseState;
  reason: string;
  reevaluation_due_on?: string;
}

export interface AppointmentSeriesRequest {
  first_start: string;
  sessions: number;
  per_week: number;
  duration_minutes: number;
  chair_id: Id;
  staff_user_id: Id;
}

/** An appointment as the scheduling API returns it (only the fields shown here are relied on). */
export interface Appointment {
  id: Id;
  /** Clinic-local wall-clock time "YYYY-MM-DDTHH:MM". */
  start?: string;
  end?: string;
  starts_at?: string;
  ends_at?: string;
  status?: string;
  series_position?: number | null;
  chair?: { id: Id; name: string; room?: string };
  staff?: { id: Id; display_name: string };
  [key: string]: unknown;
}

export interface Chair {
  id: Id;
  name: string;
  room?: string;
  in_service?: boolean;
  [key: string]: unknown;
}
