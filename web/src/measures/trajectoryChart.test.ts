import { describe, expect, it } from 'vitest';
import { bandRects, buildTrajectories, markersOf, scale, timeRange, toSeconds, type ChartInstrument } from './trajectoryChart';

// PHQ-9 bands as data/instruments/phq-9.json ships them (clinical-reference.md D1).
const PHQ9: ChartInstrument = {
  instrument: 'phq9',
  title: 'PHQ-9',
  total_range: [0, 27],
  bands: [
    { code: 'minimal', display: 'Minimal', min: 0, max: 4 },
    { code: 'mild', display: 'Mild', min: 5, max: 9 },
    { code: 'moderate', display: 'Moderate', min: 10, max: 14 },
    { code: 'moderately_severe', display: 'Moderately severe', min: 15, max: 19 },
    { code: 'severe', display: 'Severe', min: 20, max: 27 },
  ],
};

const row = (at: string, total: number | null, extra: object = {}) => ({
  administered_at: at, instrument: 'phq9', total, band: null, alerts: [], ...extra,
});

describe('trajectory chart geometry', () => {
  it('band rectangles meet at the next band and stop at the range end', () => {
    const rects = bandRects(PHQ9.bands!, [0, 27]);
    expect(rects.map((r) => [r.code, r.from, r.to])).toEqual([
      ['minimal', 0, 5], ['mild', 5, 10], ['moderate', 10, 15], ['moderately_severe', 15, 20], ['severe', 20, 27],
    ]);
    expect(rects.map((r) => r.shade)).toEqual([0, 1, 0, 1, 0]);
    expect(bandRects([{ code: 'x', display: 'X', min: 3, max: 9, unconfirmed: true }], [0, 5])[0]).toMatchObject({ from: 3, to: 5, label: 'X (unconfirmed)' });
  });

  it('the time axis covers points and sessions with a day either side', () => {
    expect(timeRange([100_000, 200_000], [50_000])).toEqual([50_000 - 86_400, 200_000 + 86_400]);
    expect(timeRange([], [])).toEqual([0, 86_400]);
  });

  it('response and remission markers sit on their points', () => {
    const markers = markersOf([
      row('2026-03-01T10:00:00.000Z', 20, { baseline: true }),
      row('2026-03-08T10:00:00.000Z', 9, { change: { response: true, remission: false } }),
      row('2026-03-15T10:00:00.000Z', 4, { change: { response: true, remission: true } }),
      row('2026-03-22T10:00:00.000Z', 12, { change: { response: false, remission: false } }),
    ]);
    const x8 = toSeconds('2026-03-08T10:00:00.000Z');
    const x15 = toSeconds('2026-03-15T10:00:00.000Z');
    expect(markers).toEqual([
      { x: x8, y: 9, kind: 'response' },
      { x: x15, y: 4, kind: 'response' },
      { x: x15, y: 4, kind: 'remission' },
    ]);
  });

  it('one trajectory per instrument with a total, with baseline, bands and sessions', () => {
    const cssrs = { administered_at: '2026-03-02T10:00:00.000Z', instrument: 'cssrs', total: null, band: 'high', alerts: [] };
    const gad = { administered_at: '2026-03-03T10:00:00.000Z', instrument: 'gad7', total: 8, band: 'mild', alerts: [], baseline: true };
    const trajectories = buildTrajectories(
      [row('2026-03-01T10:00:00.000Z', 20, { baseline: true }), cssrs, gad, row('2026-03-08T10:00:00.000Z', 9, { change: { response: true } })],
      [PHQ9, { instrument: 'gad7', title: 'GAD-7', total_range: [0, 21] }],
      ['2026-03-05T15:00:00.000Z', '2026-03-04T15:00:00.000Z'],
    );
    expect(trajectories.map((t) => t.instrument)).toEqual(['phq9', 'gad7']);
    const [phq, gad7] = trajectories;
    expect(phq.ys).toEqual([20, 9]);
    expect(phq.yRange).toEqual([0, 27]);
    expect(phq.baseline).toEqual({ x: toSeconds('2026-03-01T10:00:00.000Z'), y: 20 });
    expect(phq.bands).toHaveLength(5);
    expect(phq.markers).toHaveLength(1);
    expect(phq.sessions).toEqual([toSeconds('2026-03-04T15:00:00.000Z'), toSeconds('2026-03-05T15:00:00.000Z')]);
    expect(gad7.bands).toEqual([]);
    expect(gad7.xRange[0]).toBe(toSeconds('2026-03-03T10:00:00.000Z') - 86_400);
    expect(gad7.xRange[1]).toBe(toSeconds('2026-03-05T15:00:00.000Z') + 86_400);
  });

  it('scales data to pixels, y pointing up', () => {
    expect(scale(0, [0, 27], [200, 20])).toBe(200);
    expect(scale(27, [0, 27], [200, 20])).toBe(20);
    expect(scale(13.5, [0, 27], [200, 20])).toBe(110);
    expect(scale(5, [5, 5], [0, 100])).toBe(50);
  });
});
