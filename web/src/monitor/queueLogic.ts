// Pure helpers of the unassigned-vitals queue: how a queued reading's value reads (the exact
// decimal with its unit, or why there is none), the sessions a reading may go to (today's
// sessions still open), and the selection of rows kept across refetches.
import type { QueuedObservation } from '../api/monitor';
import type { SessionSummary } from '../api/sessions';
import { patientName } from '../lib/format';
import { isOpenPhase, phaseLabel } from '../sessions/sessionLogic';
import { unitText } from './readings';

const STATE_TEXT: Record<string, string> = {
  no_sensor: 'no sensor',
  not_available: 'not available',
  cannot_be_obtained: 'could not be obtained',
};

/** "97 %", "36.80 °C", or the state when the monitor sent no measurement ("no sensor"). */
export function queuedValue(o: Pick<QueuedObservation, 'state' | 'value' | 'unit' | 'unit_as_sent'>): string {
  if (o.value === null || o.state !== 'measured') return STATE_TEXT[o.state] ?? o.state.replace(/_/g, ' ');
  const unit = o.unit ? unitText(o.unit) : o.unit_as_sent;
  return unit ? `${o.value} ${unit}` : o.value;
}

export function deviceOf(o: Pick<QueuedObservation, 'device' | 'device_id'>): string {
  return o.device ?? o.device_id ?? '';
}

/** Today's sessions a reading may be assigned to: those not yet discharged or cancelled. */
export function assignableSessions(items: readonly SessionSummary[]): { value: string; label: string }[] {
  return items
    .filter((s) => isOpenPhase(s.phase))
    .map((s) => ({
      value: String(s.id),
      label: `${s.chair} — ${patientName(s.patient)} (${s.patient.mrn}), ${phaseLabel(s.phase)}, session #${s.id}`,
    }));
}

/** The selected ids still on the page (rows taken by someone else drop out of the selection). */
export function keepSelected(selected: ReadonlySet<number>, rows: readonly { id: number }[]): Set<number> {
  const onPage = new Set(rows.map((r) => r.id));
  return new Set([...selected].filter((id) => onPage.has(id)));
}

export function toggled(selected: ReadonlySet<number>, id: number, on: boolean): Set<number> {
  const next = new Set(selected);
  if (on) next.add(id);
  else next.delete(id);
  return next;
}
