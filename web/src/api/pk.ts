// Pharmacology endpoints: the shipped PK models and a patient's dosing plan on the latest recorded weight.
import { apiRequest } from './client';
import type { Id } from './types';

export interface PkModel {
  id: string;
  name: string;
  drug: string;
  enantiomer: string;
  routes: string[];
  citation: string;
  population: { description: string };
}

export interface DosingPlanRequest {
  model: string;
  infusions: { dose_mg_per_kg: number; over_min: number; at_min: number }[];
  times: { first: number; last: number; step: number };
}

export interface ConcentrationPoint {
  minute: number;
  plasma_ng_per_ml: number;
}

export interface DosingPlanAnswer {
  model: string;
  model_name: string;
  citation: string;
  weight_kg: number;
  weight_measured_on: string;
  iv_dose_mg: number;
  warnings: string[];
  points: ConcentrationPoint[];
  peak_plasma_ng_per_ml: number;
  peak_minute: number;
  dissociation_band_ng_per_ml: { low: number; high: number; source: string };
}

export async function listPkModels(): Promise<PkModel[]> {
  return (await apiRequest<{ models: PkModel[] }>('GET', '/api/v1/pk/models')).models;
}

export function patientDosingPlan(id: Id, request: DosingPlanRequest): Promise<DosingPlanAnswer> {
  return apiRequest<DosingPlanAnswer>('POST', `/api/v1/patients/${encodeURIComponent(String(id))}/dosing-plan`, request);
}
