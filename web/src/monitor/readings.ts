// How the chair board words a reading: the vital's name, its UCUM unit for people, how old the
// reading is ("40 s ago"), blood pressure as systolic/diastolic, and the phase timer. Values
// stay the exact decimal text the monitor sent; nothing here rounds a measurement.
import type { LatestReading, VitalKey } from '../api/monitor';
import { elapsedMs, formatElapsed } from '../sessions/sessionLogic';

export const VITAL_LABELS: Record<VitalKey, string> = {
  spo2: 'SpO₂',
  heart_rate: 'Heart rate',
  systolic: 'Systolic',
  diastolic: 'Diastolic',
  mean_pressure: 'Mean pressure',
  respiratory_rate: 'Respiratory rate',
  temperature: 'Temperature',
};

const UNIT_TEXT: Record<string, string> = {
  '%': '%',
  'mm[Hg]': 'mmHg',
  '/min': '/min',
  '{beats}/min': '/min',
  '{breaths}/min': '/min',
  Cel: '°C',
  '[degF]': '°F',
};

/** A UCUM unit as people read it ("mm[Hg]" → "mmHg", "Cel" → "°C"); unknown units as sent. */
export function unitText(ucum: string | null | undefined): string {
  if (!ucum) return '';
  return UNIT_TEXT[ucum] ?? ucum;
}

/** How long ago a reading was taken: "just now", "42 s ago", "3 min ago", "2 h 5 min ago". */
export function readingAge(observedAt: string, nowMs: number): string {
  const at = Date.parse(observedAt);
  if (Number.isNaN(at)) return '';
  const seconds = Math.floor(Math.max(0, nowMs - at) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min ago` : `${hours} h ago`;
}

/** The time in the current phase as H:MM:SS (or M:SS under an hour), from the server's start. */
export function phaseTimer(phaseStartedAt: string, nowMs: number): string {
  return formatElapsed(elapsedMs(phaseStartedAt, nowMs));
}

export interface ShownReading {
  /** The vital's key ("blood_pressure" for systolic/diastolic together). */
  key: string;
  label: string;
  value: string;
  unit: string;
  observedAt: string;
}

/** Blood pressure as "128/80" from the latest systolic and diastolic ("128/–" when one is missing). */
export function bloodPressure(
  latest: Partial<Record<VitalKey, LatestReading>>,
): ShownReading | null {
  const sys = latest.systolic;
  const dia = latest.diastolic;
  if (!sys && !dia) return null;
  const newest = [sys, dia]
    .filter((r): r is LatestReading => Boolean(r))
    .sort((a, b) => Date.parse(b.observed_at) - Date.parse(a.observed_at))[0]!;
  return {
    key: 'blood_pressure',
    label: 'Blood pressure',
    value: `${sys?.value ?? '–'}/${dia?.value ?? '–'}`,
    unit: unitText(sys?.unit ?? dia?.unit),
    observedAt: newest.observed_at,
  };
}

/** The big numbers on a chair tile, in the order a nurse scans them: SpO₂, HR, BP, RR. */
export function tileReadings(latest: Partial<Record<VitalKey, LatestReading>>): ShownReading[] {
  const shown: ShownReading[] = [];
  const one = (key: VitalKey, label: string) => {
    const r = latest[key];
    if (r) shown.push({ key, label, value: r.value, unit: unitText(r.unit), observedAt: r.observed_at });
  };
  one('spo2', 'SpO₂');
  one('heart_rate', 'HR');
  const bp = bloodPressure(latest);
  if (bp) shown.push({ ...bp, label: 'BP' });
  one('respiratory_rate', 'RR');
  return shown;
}
