// The patient's course endpoints (docs/course.md): protocols, intake versions, eligibility
// decisions and overrides, consent documents and signed consents, treatment courses and
// their transitions, and the appointment series a course is planned with.
import { apiRequest, withQuery } from './client';
import type {
  Appointment,
  AppointmentSeriesRequest,
  Chair,
  Consent,
  ConsentDocument,
  CourseTransitionRequest,
  EligibilityDecision,
  Id,
  IntakeDocument,
  IntakeVersion,
  IntakeVocabulary,
  NewConsent,
  NewConsentDocument,
  ProtocolDetail,
  ProtocolSummary,
  TreatmentCourse,
} from './types';

const API = '/api/v1';

const seg = (id: Id) => encodeURIComponent(String(id));
const patientPath = (id: Id) => `${API}/patients/${seg(id)}`;

/** List answers are `{"items":[...]}`; a bare array is accepted too. */
async function items<T>(path: string): Promise<T[]> {
  const answer = await apiRequest<T[] | { items: T[] }>('GET', path);
  return Array.isArray(answer) ? answer : answer.items;
}

// ---- Protocols

export function listProtocols(): Promise<ProtocolSummary[]> {
  return items<ProtocolSummary>(`${API}/protocols`);
}

export function getProtocol(id: string): Promise<ProtocolDetail> {
  return apiRequest<ProtocolDetail>('GET', `${API}/protocols/${seg(id)}`);
}

export function publishProtocolVersion(id: string, document: unknown, changeReason: string): Promise<ProtocolDetail> {
  return apiRequest<ProtocolDetail>('POST', `${API}/protocols/${seg(id)}/versions`, { document, change_reason: changeReason });
}

// ---- Intake

export function getIntakeVocabulary(): Promise<IntakeVocabulary> {
  return apiRequest<IntakeVocabulary>('GET', `${API}/intake-vocabulary`);
}

export function listIntakes(patientId: Id): Promise<IntakeVersion[]> {
  return items<IntakeVersion>(`${patientPath(patientId)}/intakes`);
}

/** Records a new intake version; `reason` is required by the server from version 2 on. */
export function recordIntake(patientId: Id, intake: IntakeDocument, reason: string | null): Promise<IntakeVersion> {
  const body: { intake: IntakeDocument; reason?: string } = { intake };
  if (reason !== null) body.reason = reason;
  return apiRequest<IntakeVersion>('POST', `${patientPath(patientId)}/intakes`, body);
}

// ---- Eligibility

export function listDecisions(patientId: Id, protocolId?: string): Promise<EligibilityDecision[]> {
  return items<EligibilityDecision>(withQuery(`${patientPath(patientId)}/eligibility`, { protocol: protocolId }));
}

export function evaluateEligibility(patientId: Id, protocolId: string): Promise<EligibilityDecision> {
  return apiRequest<EligibilityDecision>('POST', `${patientPath(patientId)}/eligibility`, { protocol_id: protocolId });
}

export function overrideWarning(decisionId: Id, ruleId: string, reason: string): Promise<EligibilityDecision> {
  return apiRequest<EligibilityDecision>('POST', `${API}/eligibility-decisions/${seg(decisionId)}/overrides`, {
    rule_id: ruleId,
    reason,
  });
}

// ---- Consent

/** The latest consent document per protocol, or every version of one protocol's documents. */
export function listConsentDocuments(protocolId?: string, all = false): Promise<ConsentDocument[]> {
  return items<ConsentDocument>(withQuery(`${API}/consent-documents`, { protocol: protocolId, all: all ? 1 : undefined }));
}

export function publishConsentDocument(document: NewConsentDocument): Promise<ConsentDocument> {
  return apiRequest<ConsentDocument>('POST', `${API}/consent-documents`, document);
}

export function listConsents(patientId: Id): Promise<Consent[]> {
  return items<Consent>(`${patientPath(patientId)}/consents`);
}

export function getConsent(id: Id): Promise<Consent> {
  return apiRequest<Consent>('GET', `${API}/consents/${seg(id)}`);
}

export function recordConsent(patientId: Id, consent: NewConsent): Promise<Consent> {
  return apiRequest<Consent>('POST', `${patientPath(patientId)}/consents`, consent);
}

export function revokeConsent(id: Id, reason: string): Promise<Consent> {
  return apiRequest<Consent>('POST', `${API}/consents/${seg(id)}/revoke`, { reason });
}

// ---- Treatment courses

export function listCourses(patientId: Id): Promise<TreatmentCourse[]> {
  return items<TreatmentCourse>(`${patientPath(patientId)}/courses`);
}

export function openCourse(patientId: Id, protocolId: string, goal: string): Promise<TreatmentCourse> {
  return apiRequest<TreatmentCourse>('POST', `${patientPath(patientId)}/courses`, { protocol_id: protocolId, goal });
}

export function getCourse(id: Id): Promise<TreatmentCourse> {
  return apiRequest<TreatmentCourse>('GET', `${API}/courses/${seg(id)}`);
}

export function transitionCourse(id: Id, request: CourseTransitionRequest): Promise<TreatmentCourse> {
  return apiRequest<TreatmentCourse>('POST', `${API}/courses/${seg(id)}/transitions`, request);
}

// ---- Planning appointments (the scheduling module's endpoints)

export function listChairs(): Promise<Chair[]> {
  return items<Chair>(`${API}/chairs`);
}

/** The created appointments: the answer may be `{"items"}`, `{"appointments"}` or a bare array. */
export async function planAppointmentSeries(courseId: Id, request: AppointmentSeriesRequest): Promise<Appointment[]> {
  const answer = await apiRequest<Appointment[] | { items?: Appointment[]; appointments?: Appointment[] }>(
    'POST',
    `${API}/courses/${seg(courseId)}/appointment-series`,
    request,
  );
  if (Array.isArray(answer)) return answer;
  return answer.items ?? answer.appointments ?? [];
}
