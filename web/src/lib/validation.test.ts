// Tests of the form validation helpers.
import { describe, expect, it } from 'vitest';
import { digitsOnly, email, icd10, isCalendarDate, numberInRange, parseDecimal, pastDate, required, todayIso } from './validation';

describe('isCalendarDate', () => {
  it('accepts real dates', () => {
    expect(isCalendarDate('1984-03-09')).toBe(true);
    expect(isCalendarDate('2024-02-29')).toBe(true);
  });
  it('rejects impossible dates and other formats', () => {
    expect(isCalendarDate('1990-02-30')).toBe(false);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('1990-13-01')).toBe(false);
    expect(isCalendarDate('09/03/1984')).toBe(false);
    expect(isCalendarDate('1984-3-9')).toBe(false);
  });
});

describe('pastDate', () => {
  it('rejects future and impossible dates, allows blank', () => {
    expect(pastDate('', 'Birth date', '2026-01-01')).toBeNull();
    expect(pastDate('2025-12-31', 'Birth date', '2026-01-01')).toBeNull();
    expect(pastDate('2026-01-02', 'Birth date', '2026-01-01')).toMatch(/future/);
    expect(pastDate('1990-02-30', 'Birth date', '2026-01-01')).toMatch(/real date/);
  });
});

describe('simple rules', () => {
  it('required', () => {
    expect(required('  ', 'Family name')).toBe('Family name is required.');
    expect(required('Okafor', 'Family name')).toBeNull();
  });
  it('email', () => {
    expect(email('')).toBeNull();
    expect(email('a@example.org')).toBeNull();
    expect(email('not-an-email')).not.toBeNull();
  });
  it('digitsOnly', () => {
    expect(digitsOnly('312940', 'RxNorm code')).toBeNull();
    expect(digitsOnly('31a', 'RxNorm code')).toMatch(/digits/);
  });
  it('icd10', () => {
    expect(icd10('F43.10')).toBeNull();
    expect(icd10('f32.9')).toBeNull();
    expect(icd10('F33')).toBeNull();
    expect(icd10('43.10')).not.toBeNull();
  });
  it('parseDecimal and numberInRange', () => {
    expect(parseDecimal('72.5')).toBe(72.5);
    expect(parseDecimal('72,5')).toBe(72.5);
    expect(parseDecimal('abc')).toBeNull();
    expect(parseDecimal('-3')).toBeNull();
    expect(numberInRange('', 'Weight', 1, 400, 'kg')).toMatch(/required/);
    expect(numberInRange('900', 'Weight', 1, 400, 'kg')).toMatch(/between/);
    expect(numberInRange('80', 'Weight', 1, 400, 'kg')).toBeNull();
  });
  it('todayIso uses the local calendar day', () => {
    expect(todayIso(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
  });
});
