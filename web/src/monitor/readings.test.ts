// Tests of how readings are worded: reading age, the phase timer, units for people, blood
// pressure from systolic and diastolic, and the tile's readings in scanning order.
import { describe, expect, it } from 'vitest';
import { bloodPressure, phaseTimer, readingAge, tileReadings, unitText } from './readings';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');

describe('readingAge', () => {
  it('says how long ago in seconds, minutes and hours', () => {
    const at = '2026-12-02T10:00:00.000Z';
    expect(readingAge(at, T0)).toBe('just now');
    expect(readingAge(at, T0 + 4_999)).toBe('just now');
    expect(readingAge(at, T0 + 5_000)).toBe('5 s ago');
    expect(readingAge(at, T0 + 59_999)).toBe('59 s ago');
    expect(readingAge(at, T0 + 60_000)).toBe('1 min ago');
    expect(readingAge(at, T0 + 59 * 60_000)).toBe('59 min ago');
    expect(readingAge(at, T0 + 60 * 60_000)).toBe('1 h ago');
    expect(readingAge(at, T0 + 125 * 60_000)).toBe('2 h 5 min ago');
  });
  it('treats a reading from the future (clock skew) as just now and bad text as unknown', () => {
    expect(readingAge('2026-12-02T10:00:30.000Z', T0)).toBe('just now');
    expect(readingAge('yesterday', T0)).toBe('');
  });
});

describe('phaseTimer', () => {
  it('counts M:SS under an hour and H:MM:SS after', () => {
    expect(phaseTimer('2026-12-02T10:00:00.000Z', T0)).toBe('0:00');
    expect(phaseTimer('2026-12-02T10:00:00.000Z', T0 + 65_400)).toBe('1:05');
    expect(phaseTimer('2026-12-02T10:00:00.000Z', T0 + 3_600_000 + 7 * 60_000 + 3_000)).toBe('1:07:03');
    expect(phaseTimer('2026-12-02T10:00:00.000Z', T0 - 5_000)).toBe('0:00');
  });
});

describe('units and readings', () => {
  it('shows UCUM units as people read them', () => {
    expect(unitText('mm[Hg]')).toBe('mmHg');
    expect(unitText('Cel')).toBe('°C');
    expect(unitText('[degF]')).toBe('°F');
    expect(unitText('{beats}/min')).toBe('/min');
    expect(unitText('%')).toBe('%');
    expect(unitText('kPa')).toBe('kPa');
    expect(unitText(null)).toBe('');
  });

  it('joins systolic and diastolic, dated by the newer', () => {
    expect(
      bloodPressure({
        systolic: { value: '128', unit: 'mm[Hg]', observed_at: '2026-12-02T10:00:00.000Z' },
        diastolic: { value: '80', unit: 'mm[Hg]', observed_at: '2026-12-02T10:00:05.000Z' },
      }),
    ).toEqual({ key: 'blood_pressure', label: 'Blood pressure', value: '128/80', unit: 'mmHg', observedAt: '2026-12-02T10:00:05.000Z' });
    expect(bloodPressure({ systolic: { value: '128', unit: 'mm[Hg]', observed_at: '2026-12-02T10:00:00.000Z' } })?.value).toBe('128/–');
    expect(bloodPressure({})).toBeNull();
  });

  it('lists SpO₂, HR, BP, RR in that order, exact text, skipping the missing', () => {
    const at = '2026-12-02T10:00:00.000Z';
    const shown = tileReadings({
      respiratory_rate: { value: '14', unit: '/min', observed_at: at },
      systolic: { value: '131', unit: 'mm[Hg]', observed_at: at },
      diastolic: { value: '79', unit: 'mm[Hg]', observed_at: at },
      spo2: { value: '97.0', unit: '%', observed_at: at },
      temperature: { value: '36.80', unit: 'Cel', observed_at: at },
    });
    expect(shown.map((r) => `${r.label} ${r.value} ${r.unit}`)).toEqual(['SpO₂ 97.0 %', 'BP 131/79 mmHg', 'RR 14 /min']);
  });
});
