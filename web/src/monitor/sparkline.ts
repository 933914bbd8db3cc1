// The path of a small trend line (an inline SVG sparkline) from [epoch_ms, value] points:
// x spans the given time window, y spans the values' own range with a little room above and
// below (a flat series sits in the middle). Pure: no DOM, so it is unit-tested.
import type { VitalPoint } from '../api/monitor';

export interface SparklineBox {
  width: number;
  height: number;
  /** The time window in epoch ms; points outside it are left out. */
  from: number;
  to: number;
  /** Inner margin in px so the stroke is not clipped. */
  padding?: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** "M x y L x y …" for the points inside the window, oldest first; "" when there are none. */
export function sparklinePath(points: readonly VitalPoint[], box: SparklineBox): string {
  const pad = box.padding ?? 2;
  const inside = points
    .filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v) && t >= box.from && t <= box.to)
    .slice()
    .sort((a, b) => a[0] - b[0]);
  if (inside.length === 0 || box.to <= box.from) return '';
  let low = Infinity;
  let high = -Infinity;
  for (const [, v] of inside) {
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  const span = high - low;
  const innerWidth = box.width - 2 * pad;
  const innerHeight = box.height - 2 * pad;
  const x = (t: number) => pad + ((t - box.from) / (box.to - box.from)) * innerWidth;
  // Higher values are drawn higher up (smaller y); a flat series is drawn across the middle.
  const y = (v: number) => (span === 0 ? box.height / 2 : pad + (1 - (v - low) / span) * innerHeight);
  return inside.map(([t, v], i) => `${i === 0 ? 'M' : 'L'}${round(x(t))} ${round(y(v))}`).join(' ');
}

/** The lowest and highest value in the window (for the sparkline's text alternative). */
export function sparklineRange(points: readonly VitalPoint[], from: number, to: number): { low: number; high: number } | null {
  const values = points.filter(([t]) => t >= from && t <= to).map(([, v]) => v);
  if (values.length === 0) return null;
  return { low: Math.min(...values), high: Math.max(...values) };
}
