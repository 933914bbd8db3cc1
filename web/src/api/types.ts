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
  | 'note.sign';

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
