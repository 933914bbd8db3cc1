// Tests of the session vitals chart's geometry: series at their own times joined on one axis
// in seconds with gaps as null, only vitals with readings drawn, baselines per vital, and the
// text alternative.
import { describe, expect, it } from 'vitest';
import { unitText } from '../monitor/readings';
import { alignVitals, baselineLines, vitalsSummary } from './vitalsChart';

describe('alignVitals', () => {
  it('joins the series on the union of their times, in seconds, null where a series has none', () => {
    const aligned = alignVitals({
      spo2: [[2000, 97], [1000, 98]],
      systolic: [[1000, 130], [3000, 185]],
      heart_rate: [],
    });
    expect(aligned.xs).toEqual([1, 2, 3]);
    expect(aligned.series.map((s) => [s.spec.key, s.values])).toEqual([
      ['systolic', [130, null, 185]],
      ['spo2', [98, 97, null]],
    ]);
    expect(aligned.series.map((s) => s.spec.scale)).toEqual(['pressure_rate', 'percent']);
  });
  it('is empty without readings', () => {
    expect(alignVitals({})).toEqual({ xs: [], series: [] });
  });
});

describe('baselineLines', () => {
  it('draws a line per baseline value of a charted vital, on its scale', () => {
    expect(baselineLines({ systolic: 128, spo2: 98, temperature: 36.6 })).toEqual([
      { key: 'systolic', label: 'baseline systolic 128', value: 128, scale: 'pressure_rate', colour: '#a3161a' },
      { key: 'spo2', label: 'baseline spo₂ 98', value: 98, scale: 'percent', colour: '#1e6b34' },
    ]);
    expect(baselineLines({})).toEqual([]);
  });
});

describe('vitalsSummary', () => {
  it('says per vital how many readings, the latest and the baseline', () => {
    expect(
      vitalsSummary(
        { vitals: { systolic: [[1000, 130], [3000, 185]], spo2: [[1000, 98]] }, units: { systolic: 'mm[Hg]', spo2: '%' }, baseline: { systolic: 128 } },
        unitText,
      ),
    ).toBe('Systolic: 2 readings, latest 185 mmHg (baseline 128); SpO₂: 1 reading, latest 98 %');
    expect(vitalsSummary({ vitals: {}, units: {}, baseline: {} }, unitText)).toBe('No monitor readings for this session yet.');
  });
});
