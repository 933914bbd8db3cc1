// The "Add measurement" form: validation and conversion to the API request
// (weight in kg or height in cm as JSON numbers; a blank note is left out).
import type { MeasurementKind, NewMeasurement } from '../api/types';
import { numberInRange, parseDecimal, pastDate, required } from '../lib/validation';
import type { FieldErrors } from './patientForm';

export interface MeasurementFormValues {
  kind: MeasurementKind;
  value: string;
  measured_on: string;
  note: string;
}

/** Plausibility limits for a typing-error check only; the server applies its own rules. */
const LIMITS: Record<MeasurementKind, { min: number; max: number; unit: string; label: string }> = {
  weight: { min: 0.5, max: 400, unit: 'kg', label: 'Weight' },
  height: { min: 20, max: 260, unit: 'cm', label: 'Height' },
};

export function measurementUnit(kind: MeasurementKind): string {
  return LIMITS[kind].unit;
}

export function validateMeasurement(v: MeasurementFormValues, today: string): FieldErrors {
  const errors: FieldErrors = {};
  const limit = LIMITS[v.kind];
  const valueError = numberInRange(v.value, limit.label, limit.min, limit.max, limit.unit);
  if (valueError) errors[v.kind === 'weight' ? 'weight_kg' : 'height_cm'] = valueError;
  const dateError = required(v.measured_on, 'Measured on') ?? pastDate(v.measured_on, 'Measured on', today);
  if (dateError) errors['measured_on'] = dateError;
  return errors;
}

export function measurementRequest(v: MeasurementFormValues): NewMeasurement {
  const amount = parseDecimal(v.value) ?? Number.NaN;
  const request: NewMeasurement =
    v.kind === 'weight'
      ? { kind: 'weight', weight_kg: amount, measured_on: v.measured_on }
      : { kind: 'height', height_cm: amount, measured_on: v.measured_on };
  if (v.note.trim()) request.note = v.note.trim();
  return request;
}
