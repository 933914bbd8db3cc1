// Measure schedules and what they make due: a patient's schedules (add, stop), due measures,
// the clinic's overdue list, the patient's session start times (the trajectory's session
// lines) and the responsible clinician who receives the patient's safety alerts.
import { apiRequest, withQuery } from './client';
import type { Page } from './types';

export type ScheduleKind = 'before_each_session' | 'every_n_days' | 'n_days_after_each_session';

export interface DueItem {
  schedule_id: number;
  instrument: string;
  kind: ScheduleKind;
  due_on: string;
  due_at: string | null;
  status: 'due' | 'overdue' | 'completed';
  days_overdue: number;
  rule: string;
  completed_at: string | null;
}

export interface MeasureSchedule {
  id: number;
  patient_id: number;
  instrument: string;
  kind: ScheduleKind;
  interval_days: number | null;
  reset_on_treatment: boolean;
  start_date: string;
  note: string;
  created_at: string;
  created_by: string;
  status: 'active' | 'stopped';
  stopped: { at: string; by: string; reason: string } | null;
  due: DueItem[];
}

export interface NewMeasureSchedule {
  instrument: string;
  kind: ScheduleKind;
  interval_days?: number;
  reset_on_treatment?: boolean;
  start_date?: string;
  note?: string;
}

export interface OverdueItem extends DueItem {
  patient: { id: number; mrn: string; family_name: string; given_names: string };
}

export interface StaffRef {
  id: number;
  username: string;
  display_name: string;
}

export interface ResponsibleClinician {
  patient_id: number;
  clinician: StaffRef | null;
  set_at: string | null;
  set_by: string | null;
  reason: string | null;
  history: { clinician: StaffRef; set_at: string; set_by: string; reason: string }[];
}

export function listSchedules(patientId: string): Promise<Page<MeasureSchedule>> {
  return apiRequest<Page<MeasureSchedule>>('GET', withQuery(`/api/v1/patients/${patientId}/measure-schedules`, { limit: 200 }));
}

export function createSchedule(patientId: string, body: NewMeasureSchedule): Promise<MeasureSchedule> {
  return apiRequest<MeasureSchedule>('POST', `/api/v1/patients/${patientId}/measure-schedules`, body);
}

export function stopSchedule(id: number, reason: string): Promise<MeasureSchedule> {
  return apiRequest<MeasureSchedule>('POST', `/api/v1/measure-schedules/${id}/stop`, { reason });
}

export function listDue(patientId: string): Promise<{ items: DueItem[]; today: string }> {
  return apiRequest('GET', `/api/v1/patients/${patientId}/measure-due`);
}

export function listOverdue(cursor: string | null, limit = 50): Promise<Page<OverdueItem> & { today: string }> {
  return apiRequest('GET', withQuery('/api/v1/measure-overdue', { cursor, limit }));
}

export function listSessionStarts(patientId: string): Promise<Page<{ session_id: number; started_at: string }>> {
  return apiRequest('GET', withQuery(`/api/v1/patients/${patientId}/session-starts`, { limit: 500 }));
}

export function responsibleClinician(patientId: string): Promise<ResponsibleClinician> {
  return apiRequest('GET', `/api/v1/patients/${patientId}/responsible-clinician`);
}

export function assignResponsibleClinician(patientId: string, clinicianId: number, reason: string): Promise<ResponsibleClinician> {
  return apiRequest('POST', `/api/v1/patients/${patientId}/responsible-clinician`, { clinician_id: clinicianId, reason });
}

export function responsibleCandidates(): Promise<{ items: StaffRef[] }> {
  return apiRequest('GET', '/api/v1/responsible-clinician-candidates');
}
