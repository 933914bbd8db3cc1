// Esketamine REMS endpoints (docs/sessions.md "Esketamine REMS"): the patient's enrolment,
// a session's Patient Monitoring Form (pre-filled fields, due date, submissions; the PDF at
// remsFormPdfUrl), its submission or correction, and the 7-day deadline tracker.
import { apiRequest, withQuery } from './client';
import type { SessionSummary } from './sessions';
import type { Page } from './types';

export type RemsAnswer = boolean | number | string | null;

export interface RemsFormField {
  id: string;
  label: string;
  /** The pre-filled suggestion; null when the session cannot answer it. */
  value: RemsAnswer;
  /** What the suggestion came from; null when not pre-filled. */
  basis: string | null;
}

export interface RemsSubmission {
  id: number;
  amends_id: number | null;
  answers: Record<string, RemsAnswer>;
  submitted_on: string;
  confirmation: string;
  recorded_at: string;
  recorded_by: string;
  /** Why a correction corrects the submission it amends ('' for a first submission). */
  reason: string;
}

export type RemsFormStatus = 'open' | 'overdue' | 'submitted';

/** GET /api/v1/sessions/{id}/rems-form. */
export interface RemsForm {
  session: SessionSummary;
  session_date: string;
  deadline_days: number;
  due_on: string;
  status: RemsFormStatus;
  dosed: boolean;
  fields: RemsFormField[];
  submissions: RemsSubmission[];
}

export interface RemsSubmissionBody {
  answers: Record<string, boolean | number | string>;
  submitted_on: string;
  confirmation: string;
  amends_id?: number;
  reason?: string;
}

export interface RemsEnrolment {
  enrolled: boolean;
  message: string | null;
  /** The latest 50 records; older ones from GET /api/v1/patients/{id}/rems/history?cursor=history_next_cursor. */
  history: {
    id: number;
    status: 'enrolled' | 'not_enrolled';
    rems_patient_id: string;
    effective_on: string;
    note: string;
    recorded_at: string;
    recorded_by: string;
  }[];
  history_next_cursor: string | null;
}

export interface RemsTrackerItem {
  session: SessionSummary;
  session_date: string;
  due_on: string;
  status: RemsFormStatus;
  days_left: number | null;
  submitted_on: string | null;
  enrolled: boolean;
}

export function getRemsForm(sessionId: string): Promise<RemsForm> {
  return apiRequest<RemsForm>('GET', `/api/v1/sessions/${sessionId}/rems-form`);
}

/** The printable form (answers as submitted, else pre-filled), opened by the browser. */
export function remsFormPdfUrl(sessionId: string): string {
  return `/api/v1/sessions/${sessionId}/rems-form?format=pdf`;
}

export function submitRemsForm(sessionId: string, body: RemsSubmissionBody): Promise<RemsForm> {
  return apiRequest<RemsForm>('POST', `/api/v1/sessions/${sessionId}/rems-form`, body);
}

export function getRemsEnrolment(patientId: number): Promise<RemsEnrolment> {
  return apiRequest<RemsEnrolment>('GET', `/api/v1/patients/${patientId}/rems`);
}

export function recordRemsEnrolment(
  patientId: number,
  body: { status: 'enrolled' | 'not_enrolled'; rems_patient_id?: string; effective_on: string; note?: string },
): Promise<RemsEnrolment> {
  return apiRequest<RemsEnrolment>('POST', `/api/v1/patients/${patientId}/rems`, body);
}

/** One page of the tracker: forms still due oldest session first, submitted ones latest first. */
export function remsTracker(
  status: 'open' | 'overdue' | 'submitted' | 'all',
  cursor: string | null = null,
  limit = 50,
): Promise<Page<RemsTrackerItem>> {
  return apiRequest('GET', withQuery('/api/v1/rems/tracker', { status, cursor, limit }));
}
