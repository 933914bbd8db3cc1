// Integration psychotherapy (docs/sessions.md "Integration and follow-up"): writing a signed
// SOAP or DAP note on a dosing session (a correction is a new note naming amends_id), and the
// care summary prescriber and therapist share.
import { apiRequest, withQuery } from './client';
import type { Page } from './types';

export type NoteFormat = 'soap' | 'dap';

export interface IntegrationNote {
  id: number;
  session_id: number;
  format: NoteFormat;
  fields: Record<string, string>;
  homework: string;
  coping_plan: string;
  amends_id: number | null;
  signed_at: string;
  signed_by: string;
}

export interface IntegrationNoteBody {
  session_id: number;
  format: NoteFormat;
  fields: Record<string, string>;
  homework: string;
  coping_plan: string;
  amends_id?: number;
}

export interface CareSummarySession {
  id: number;
  protocol_id: string;
  checked_in_at: string;
  chair: string;
  last_event: string;
  note_signed_at: string | null;
  integration_notes: number;
}

export interface BoosterSignal {
  instrument: string;
  rule: string;
  message: string;
}

export interface CareSummary {
  patient_id: number;
  courses: { id: number; protocol_id: string; state: string }[];
  /** The latest 20; sessions_next_cursor leads to the older ones (getCareSummarySessions). */
  sessions: CareSummarySession[];
  sessions_next_cursor: string | null;
  integration_notes: IntegrationNote[];
  booster_signals: BoosterSignal[];
  booster_suggested: boolean;
}

export function getCareSummary(patientId: string): Promise<CareSummary> {
  return apiRequest<CareSummary>('GET', `/api/v1/patients/${patientId}/care-summary`);
}

/** The care summary's sessions older than `cursor`, latest first. */
export function getCareSummarySessions(patientId: string, cursor: string, limit = 20): Promise<Page<CareSummarySession>> {
  return apiRequest('GET', withQuery(`/api/v1/patients/${patientId}/care-summary/sessions`, { cursor, limit }));
}

export function writeIntegrationNote(patientId: string, body: IntegrationNoteBody): Promise<IntegrationNote> {
  return apiRequest<IntegrationNote>('POST', `/api/v1/patients/${patientId}/integration-notes`, body);
}
