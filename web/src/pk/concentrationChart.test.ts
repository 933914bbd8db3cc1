// Tests of the concentration chart geometry: the band sits between 100 and 250 ng/mL, the
// curve's end points land on the axes, and ticks are round.
import { describe, expect, it } from 'vitest';
import { chartGeometry, DEFAULT_BOX, niceStep } from './concentrationChart';

describe('chartGeometry', () => {
  const points = [
    { minute: 0, plasma_ng_per_ml: 0 },
    { minute: 40, plasma_ng_per_ml: 240 },
    { minute: 240, plasma_ng_per_ml: 18 },
  ];
  const g = chartGeometry(points, { low: 100, high: 250 });

  it('shades exactly the band between its edges over the whole time axis', () => {
    const plotHeight = DEFAULT_BOX.height - DEFAULT_BOX.top - DEFAULT_BOX.bottom;
    expect(g.yMax).toBeCloseTo(275);
    expect(g.band.height).toBeCloseTo((150 / 275) * plotHeight);
    expect(g.band.x).toBe(DEFAULT_BOX.left);
    expect(g.band.width).toBe(DEFAULT_BOX.width - DEFAULT_BOX.left - DEFAULT_BOX.right);
  });

  it('maps the first point to the origin and the last to the right edge', () => {
    const coordinates = g.polyline.split(' ').map((p) => p.split(',').map(Number));
    expect(coordinates[0]).toEqual([DEFAULT_BOX.left, DEFAULT_BOX.height - DEFAULT_BOX.bottom]);
    expect(coordinates[2]![0]).toBe(DEFAULT_BOX.width - DEFAULT_BOX.right);
  });

  it('uses round ticks', () => {
    expect(niceStep(240)).toBe(50);
    expect(niceStep(275)).toBe(50);
    expect(g.xTicks.map((t) => t.value)).toEqual([0, 50, 100, 150, 200]);
  });
});
