// Tests of the measurement form: numbers in kg/cm, required date, blank note left out.
import { describe, expect, it } from 'vitest';
import { measurementRequest, validateMeasurement } from './measurementForm';

describe('measurementRequest', () => {
  it('sends weight in kg as a number', () => {
    expect(measurementRequest({ kind: 'weight', value: '72,4', measured_on: '2026-05-01', note: '  ' })).toEqual({
      kind: 'weight',
      weight_kg: 72.4,
      measured_on: '2026-05-01',
    });
  });
  it('sends height in cm with a note', () => {
    expect(measurementRequest({ kind: 'height', value: '168', measured_on: '2026-05-01', note: 'without shoes' })).toEqual({
      kind: 'height',
      height_cm: 168,
      measured_on: '2026-05-01',
      note: 'without shoes',
    });
  });
});

describe('validateMeasurement', () => {
  it('flags the value under its API name and a future date', () => {
    const errors = validateMeasurement({ kind: 'weight', value: 'heavy', measured_on: '2027-01-01', note: '' }, '2026-06-01');
    expect(errors['weight_kg']).toMatch(/number/);
    expect(errors['measured_on']).toMatch(/future/);
  });
  it('accepts a plausible height', () => {
    expect(validateMeasurement({ kind: 'height', value: '170.5', measured_on: '2026-06-01', note: '' }, '2026-06-01')).toEqual({});
  });
});
