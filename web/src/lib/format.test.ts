// Tests of display formatting and the error summary's line wording.
import { describe, expect, it } from 'vitest';
import { summaryLine } from '../components/ErrorSummary';
import { ageInYears, centimetres, kilograms, patientName, roleLabel } from './format';

describe('format', () => {
  it('computes whole years of age around the birthday', () => {
    expect(ageInYears('1984-03-09', '2026-03-08')).toBe(41);
    expect(ageInYears('1984-03-09', '2026-03-09')).toBe(42);
    expect(ageInYears('not a date', '2026-03-09')).toBeNull();
  });
  it('formats names, units and roles', () => {
    expect(patientName({ family_name: 'Okafor', given_names: 'Adaeze Grace' })).toBe('Okafor, Adaeze Grace');
    expect(kilograms(72.44)).toBe('72.4 kg');
    expect(centimetres(170)).toBe('170 cm');
    expect(roleLabel('front_desk')).toBe('Front desk');
  });
});

describe('summaryLine', () => {
  it('prefixes the field label unless the message already starts with it', () => {
    expect(summaryLine('Birth date', 'must be a real calendar date')).toBe('Birth date: must be a real calendar date');
    expect(summaryLine('Family name', 'Family name is required.')).toBe('Family name is required.');
    expect(summaryLine(undefined, 'is required')).toBe('is required');
  });
});
