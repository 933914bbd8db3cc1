// Tests of the sparkline path: points scaled into the box (oldest on the left, higher values
// higher up), points outside the window left out, a flat series across the middle, none empty.
import { describe, expect, it } from 'vitest';
import { sparklinePath, sparklineRange } from './sparkline';

const box = { width: 104, height: 24, from: 0, to: 100_000, padding: 2 };

describe('sparklinePath', () => {
  it('scales time to x and value to y inside the padding', () => {
    // x: 2 + t/100000*100; y: 2 + (1 - (v-100)/50)*20
    expect(sparklinePath([[0, 100], [50_000, 150], [100_000, 125]], box)).toBe('M2 22 L52 2 L102 12');
  });

  it('sorts the points by time', () => {
    expect(sparklinePath([[100_000, 125], [0, 100], [50_000, 150]], box)).toBe('M2 22 L52 2 L102 12');
  });

  it('leaves out points outside the window and non-numbers', () => {
    expect(sparklinePath([[-1, 500], [0, 100], [100_000, 150], [100_001, 1], [50_000, Number.NaN]], box)).toBe('M2 22 L102 2');
  });

  it('draws a flat series across the middle and a single point as a move', () => {
    expect(sparklinePath([[0, 97], [100_000, 97]], box)).toBe('M2 12 L102 12');
    expect(sparklinePath([[25_000, 97]], box)).toBe('M27 12');
  });

  it('is empty without points or with an empty window', () => {
    expect(sparklinePath([], box)).toBe('');
    expect(sparklinePath([[0, 1]], { ...box, to: 0 })).toBe('');
  });

  it('rounds to a tenth of a pixel', () => {
    expect(sparklinePath([[0, 0], [33_333, 1], [100_000, 3]], box)).toBe('M2 22 L35.3 15.3 L102 2');
  });
});

describe('sparklineRange', () => {
  it('gives the lowest and highest value in the window', () => {
    expect(sparklineRange([[0, 130], [10, 121], [20, 144], [999, 200]], 0, 100)).toEqual({ low: 121, high: 144 });
    expect(sparklineRange([[999, 200]], 0, 100)).toBeNull();
  });
});
