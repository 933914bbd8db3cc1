// Pure geometry of a session's vitals chart: the monitored series ([epoch_ms, value] each, at
// their own times) joined on one time axis in seconds (uPlot's time unit) with null where a
// series has no reading at that moment, the scale each vital is drawn on (pressures and rates
// on the left, SpO₂ in % on the right), and the baseline lines. No DOM, so it is unit-tested.
import type { SessionMonitor, VitalKey, VitalPoint } from '../api/monitor';

export type ChartScale = 'pressure_rate' | 'percent';

export interface ChartSeries {
  key: VitalKey;
  label: string;
  scale: ChartScale;
  colour: string;
  dash: number[];
}

/** Drawn in this order; colours reach 4.5:1 on white and dashes tell the lines apart without colour. */
export const CHART_SERIES: readonly ChartSeries[] = [
  { key: 'systolic', label: 'Systolic', scale: 'pressure_rate', colour: '#a3161a', dash: [] },
  { key: 'diastolic', label: 'Diastolic', scale: 'pressure_rate', colour: '#a3161a', dash: [6, 4] },
  { key: 'mean_pressure', label: 'Mean pressure', scale: 'pressure_rate', colour: '#8a3a00', dash: [2, 3] },
  { key: 'heart_rate', label: 'Heart rate', scale: 'pressure_rate', colour: '#0d5b78', dash: [] },
  { key: 'respiratory_rate', label: 'Respiratory rate', scale: 'pressure_rate', colour: '#5f3dc4', dash: [8, 3, 2, 3] },
  { key: 'spo2', label: 'SpO₂', scale: 'percent', colour: '#1e6b34', dash: [] },
];

export interface AlignedVitals {
  /** Seconds since the epoch, ascending, each time once. */
  xs: number[];
  series: { spec: ChartSeries; values: (number | null)[] }[];
}

/** The series that have at least one reading, on one shared time axis. */
export function alignVitals(vitals: SessionMonitor['vitals']): AlignedVitals {
  const present = CHART_SERIES.filter((spec) => (vitals[spec.key]?.length ?? 0) > 0);
  const times = new Set<number>();
  for (const spec of present) for (const [t] of vitals[spec.key] as VitalPoint[]) times.add(t);
  const ms = [...times].sort((a, b) => a - b);
  const index = new Map(ms.map((t, i) => [t, i]));
  const series = present.map((spec) => {
    const values: (number | null)[] = ms.map(() => null);
    for (const [t, v] of vitals[spec.key] as VitalPoint[]) values[index.get(t)!] = v;
    return { spec, values };
  });
  return { xs: ms.map((t) => t / 1000), series };
}

export interface BaselineLine {
  key: VitalKey;
  label: string;
  value: number;
  scale: ChartScale;
  colour: string;
}

/** A dashed line per baseline value of a vital the chart draws. */
export function baselineLines(baseline: SessionMonitor['baseline']): BaselineLine[] {
  return CHART_SERIES.filter((spec) => typeof baseline[spec.key] === 'number').map((spec) => ({
    key: spec.key,
    label: `baseline ${spec.label.toLowerCase()} ${baseline[spec.key]}`,
    value: baseline[spec.key] as number,
    scale: spec.scale,
    colour: spec.colour,
  }));
}

/** The text alternative: per vital, how many readings, the latest, and the baseline. */
export function vitalsSummary(monitor: Pick<SessionMonitor, 'vitals' | 'units' | 'baseline'>, unitText: (u: string) => string): string {
  const parts: string[] = [];
  for (const spec of CHART_SERIES) {
    const points = monitor.vitals[spec.key];
    if (!points?.length) continue;
    const unit = unitText(monitor.units[spec.key] ?? '');
    const last = points.reduce((a, b) => (b[0] >= a[0] ? b : a));
    const base = monitor.baseline[spec.key];
    parts.push(
      `${spec.label}: ${points.length} ${points.length === 1 ? 'reading' : 'readings'}, latest ${last[1]}${unit ? ` ${unit}` : ''}` +
        (typeof base === 'number' ? ` (baseline ${base})` : ''),
    );
  }
  return parts.length ? parts.join('; ') : 'No monitor readings for this session yet.';
}
