// Pure geometry of the trajectory chart: one panel per instrument with a total, its points
// (time in seconds, the unit uPlot's time scale uses), the y scale from the instrument's total
// range, shaded band rectangles from its total-range bands, the baseline (the patient's first
// measure of it), response and remission markers where the server's `change` says so, and the
// treatment sessions as vertical lines. No drawing and no DOM here, so it is unit-tested.
import type { TrajectoryRow } from './measureForm';

export interface ChartBand {
  code: string;
  display: string;
  min: number;
  max: number;
  unconfirmed?: boolean;
}

export interface ChartInstrument {
  instrument: string;
  title: string;
  total_range?: [number, number] | null | undefined;
  bands?: ChartBand[] | undefined;
}

/** A shaded band in data units: totals from `from` to `to` (the next band's start). */
export interface BandRect {
  code: string;
  label: string;
  from: number;
  to: number;
  shade: number; // 0, 1, 0, 1 ... alternating fill
}

export interface ChartMarker {
  x: number;
  y: number;
  kind: 'response' | 'remission';
}

export interface InstrumentTrajectory {
  instrument: string;
  title: string;
  xs: number[];
  ys: number[];
  yRange: [number, number];
  xRange: [number, number];
  bands: BandRect[];
  baseline: { x: number; y: number } | null;
  markers: ChartMarker[];
  sessions: number[];
}

const DAY_SECONDS = 24 * 60 * 60;

export function toSeconds(timestamp: string): number {
  return Date.parse(timestamp) / 1000;
}

/**
 * Band rectangles for totals in [rangeMin, rangeMax]: integer band min..max covers
 * [min, max + 1) so adjacent bands meet; the last is clipped at the range's end.
 */
export function bandRects(bands: readonly ChartBand[], range: [number, number]): BandRect[] {
  const sorted = [...bands].sort((a, b) => a.min - b.min);
  return sorted.map((band, index) => ({
    code: band.code,
    label: band.unconfirmed ? `${band.display} (unconfirmed)` : band.display,
    from: Math.max(range[0], band.min),
    to: Math.min(range[1], band.max + 1),
    shade: index % 2,
  }));
}

/** The time axis: every point and session, padded by a day each side. */
export function timeRange(xs: readonly number[], sessions: readonly number[]): [number, number] {
  const all = [...xs, ...sessions];
  if (all.length === 0) return [0, DAY_SECONDS];
  return [Math.min(...all) - DAY_SECONDS, Math.max(...all) + DAY_SECONDS];
}

export function markersOf(rows: readonly TrajectoryRow[]): ChartMarker[] {
  const out: ChartMarker[] = [];
  for (const row of rows) {
    if (row.total === null) continue;
    const x = toSeconds(row.administered_at);
    if (row.change?.response) out.push({ x, y: row.total, kind: 'response' });
    if (row.change?.remission) out.push({ x, y: row.total, kind: 'remission' });
  }
  return out;
}

/**
 * One trajectory per instrument that has totals, in order of first administration. `rows`
 * are oldest first (as the API lists them); the first row of an instrument marked
 * `baseline` is the baseline. Instruments without a total (the C-SSRS triage) are left out.
 */
export function buildTrajectories(
  rows: readonly (TrajectoryRow & { baseline?: boolean })[],
  instruments: readonly ChartInstrument[],
  sessionStarts: readonly string[],
): InstrumentTrajectory[] {
  const sessions = sessionStarts.map(toSeconds).sort((a, b) => a - b);
  const order: string[] = [];
  const byInstrument = new Map<string, (TrajectoryRow & { baseline?: boolean })[]>();
  for (const row of rows) {
    if (row.total === null) continue;
    if (!byInstrument.has(row.instrument)) {
      byInstrument.set(row.instrument, []);
      order.push(row.instrument);
    }
    byInstrument.get(row.instrument)!.push(row);
  }
  const out: InstrumentTrajectory[] = [];
  for (const key of order) {
    const list = [...byInstrument.get(key)!].sort((a, b) => toSeconds(a.administered_at) - toSeconds(b.administered_at));
    const meta = instruments.find((i) => i.instrument === key);
    const xs = list.map((r) => toSeconds(r.administered_at));
    const ys = list.map((r) => r.total as number);
    const yRange: [number, number] = meta?.total_range ?? [Math.min(0, ...ys), Math.max(...ys)];
    const base = list.find((r) => r.baseline);
    out.push({
      instrument: key,
      title: meta?.title ?? key,
      xs,
      ys,
      yRange,
      xRange: timeRange(xs, sessions),
      bands: meta?.bands ? bandRects(meta.bands, yRange) : [],
      baseline: base ? { x: toSeconds(base.administered_at), y: base.total as number } : null,
      markers: markersOf(list),
      sessions,
    });
  }
  return out;
}

/** Linear map of a value in [d0, d1] to pixels [p0, p1] (p1 < p0 for a y axis pointing up). */
export function scale(value: number, [d0, d1]: [number, number], [p0, p1]: [number, number]): number {
  if (d1 === d0) return (p0 + p1) / 2;
  return p0 + ((value - d0) / (d1 - d0)) * (p1 - p0);
}
