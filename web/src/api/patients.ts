// Patient endpoints: search/list, read, create, replace (new version), versions, measurements.
import { apiRequest, withQuery } from './client';
import type { Id, NewMeasurement, Page, Patient, PatientDocument, PatientUpdate, PatientVersionSummary } from './types';

const BASE = '/api/v1/patients';

function patientPath(id: Id): string {
  return `${BASE}/${encodeURIComponent(String(id))}`;
}

export function searchPatients(q: string, cursor: string | null, limit = 25): Promise<Page<Patient>> {
  return apiRequest<Page<Patient>>('GET', withQuery(BASE, { q: q.trim(), cursor, limit }));
}

export function getPatient(id: Id): Promise<Patient> {
  return apiRequest<Patient>('GET', patientPath(id));
}

export function createPatient(document: PatientDocument): Promise<Patient> {
  return apiRequest<Patient>('POST', BASE, document);
}

export function updatePatient(id: Id, update: PatientUpdate): Promise<Patient> {
  return apiRequest<Patient>('PUT', patientPath(id), update);
}

/** docs/api.md does not fix this answer's shape: accept a bare array or a page. */
export async function listPatientVersions(id: Id): Promise<PatientVersionSummary[]> {
  const answer = await apiRequest<PatientVersionSummary[] | Page<PatientVersionSummary>>('GET', `${patientPath(id)}/versions`);
  return Array.isArray(answer) ? answer : answer.items;
}

export function getPatientVersion(id: Id, version: number): Promise<Patient> {
  return apiRequest<Patient>('GET', `${patientPath(id)}/versions/${version}`);
}

export function addMeasurement(id: Id, measurement: NewMeasurement): Promise<unknown> {
  return apiRequest<unknown>('POST', `${patientPath(id)}/measurements`, measurement);
}
