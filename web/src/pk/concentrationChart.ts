// Geometry of the predicted-concentration chart: scales from minutes and ng/mL to SVG
// coordinates, the curve's polyline points, the shaded 100-250 ng/mL band and axis ticks.
// Pure, so it is unit-tested without a browser.

export interface ChartBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const DEFAULT_BOX: ChartBox = { width: 720, height: 360, left: 60, right: 16, top: 16, bottom: 40 };

export interface ChartGeometry {
  polyline: string;
  band: { x: number; y: number; width: number; height: number };
  xTicks: { value: number; x: number }[];
  yTicks: { value: number; y: number }[];
  xMax: number;
  yMax: number;
}

/** A round step giving about six ticks over `range`. */
export function niceStep(range: number): number {
  const raw = range / 6;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const f of [1, 2, 5, 10]) if (raw <= f * magnitude) return f * magnitude;
  return 10 * magnitude;
}

export function chartGeometry(
  points: readonly { minute: number; plasma_ng_per_ml: number }[],
  band: { low: number; high: number },
  box: ChartBox = DEFAULT_BOX,
): ChartGeometry {
  const xMax = Math.max(1, ...points.map((p) => p.minute));
  const yMax = Math.max(band.high * 1.1, ...points.map((p) => p.plasma_ng_per_ml * 1.05));
  const sx = (x: number) => box.left + (x / xMax) * (box.width - box.left - box.right);
  const sy = (y: number) => box.height - box.bottom - (y / yMax) * (box.height - box.top - box.bottom);
  const polyline = points.map((p) => `${sx(p.minute).toFixed(1)},${sy(p.plasma_ng_per_ml).toFixed(1)}`).join(' ');
  const xStep = niceStep(xMax);
  const yStep = niceStep(yMax);
  const xTicks = [];
  for (let v = 0; v <= xMax + 1e-9; v += xStep) xTicks.push({ value: v, x: sx(v) });
  const yTicks = [];
  for (let v = 0; v <= yMax + 1e-9; v += yStep) yTicks.push({ value: v, y: sy(v) });
  return {
    polyline,
    band: { x: sx(0), y: sy(band.high), width: sx(xMax) - sx(0), height: sy(band.low) - sy(band.high) },
    xTicks,
    yTicks,
    xMax,
    yMax,
  };
}
