// Rating-scale measures: the instruments, a patient's measures (trajectory), entering one,
// and the clinic's safety alerts with their acknowledgement.
import { apiRequest, withQuery } from './client';
import type { MeasureAlert, Page } from './types';
import type { Instrument, TrajectoryRow } from '../measures/measureForm';

export interface Measure extends TrajectoryRow {
  id: number;
  answers: (number | null)[];
  recorded_by: string;
  note: string;
  baseline: boolean;
  score: { band_display?: string };
}

export function listInstruments(): Promise<{ items: Instrument[] }> {
  return apiRequest<{ items: Instrument[] }>('GET', '/api/v1/instruments');
}

export function listMeasures(patientId: string, cursor: string | null, limit = 500): Promise<Page<Measure>> {
  return apiRequest<Page<Measure>>('GET', withQuery(`/api/v1/patients/${patientId}/measures`, { cursor, limit }));
}

export function recordMeasure(
  patientId: string,
  body: { instrument: string; answers: (number | null)[]; note?: string },
): Promise<Measure> {
  return apiRequest<Measure>('POST', `/api/v1/patients/${patientId}/measures`, body);
}

export function listAlerts(status: 'open' | 'all', cursor: string | null, limit = 50, mine = false): Promise<Page<MeasureAlert>> {
  return apiRequest<Page<MeasureAlert>>('GET', withQuery('/api/v1/measure-alerts', { status, cursor, limit, mine: mine ? 1 : null }));
}

export function acknowledgeAlert(id: number, actionNote: string): Promise<MeasureAlert> {
  return apiRequest<MeasureAlert>('POST', `/api/v1/measure-alerts/${id}/acknowledge`, { action_note: actionNote });
}

export interface SelfReportForm {
  instrument: string;
  title: string;
  questionnaire: Instrument['questionnaire'];
  expires_at: string;
}

export function createSelfReportLink(
  patientId: string,
  instrument: string,
): Promise<{ id: number; token: string; instrument: string; expires_at: string }> {
  return apiRequest('POST', `/api/v1/patients/${patientId}/self-report-links`, { instrument });
}

/** The token goes in the body: it never appears in a URL the server sees. */
export function openSelfReport(token: string): Promise<SelfReportForm> {
  return apiRequest<SelfReportForm>('POST', '/api/v1/self-report/form', { token });
}

export function submitSelfReport(token: string, answers: (number | null)[]): Promise<{ received: boolean }> {
  return apiRequest<{ received: boolean }>('POST', '/api/v1/self-report/submit', { token, answers });
}
