// Pure helpers of the measure schedule form and list: the body the API takes from the form's
// text fields (checked here only for what the form itself can know; the server names every
// other rule), and how a schedule and a due item read in the chart.
import type { DueItem, MeasureSchedule, NewMeasureSchedule, ScheduleKind } from '../api/measureSchedules';

export const KIND_OPTIONS: readonly { value: ScheduleKind; label: string }[] = [
  { value: 'before_each_session', label: 'Before each session' },
  { value: 'every_n_days', label: 'Every N days' },
  { value: 'n_days_after_each_session', label: 'N days after each session' },
];

export interface ScheduleFormValues {
  instrument: string;
  kind: ScheduleKind | '';
  interval: string;
  reset: boolean;
  start: string;
}

/** The request body, or the field and message the form shows without asking the server. */
export function scheduleBody(v: ScheduleFormValues): { body: NewMeasureSchedule } | { field: string; message: string } {
  if (!v.instrument) return { field: 'instrument', message: 'Choose an instrument.' };
  if (!v.kind) return { field: 'kind', message: 'Choose when it falls due.' };
  const body: NewMeasureSchedule = { instrument: v.instrument, kind: v.kind };
  if (v.kind !== 'before_each_session') {
    if (!/^\d+$/.test(v.interval.trim())) return { field: 'interval_days', message: 'Enter a whole number of days.' };
    body.interval_days = Number(v.interval.trim());
  }
  if (v.kind === 'every_n_days' && v.reset) body.reset_on_treatment = true;
  if (v.start.trim()) body.start_date = v.start.trim();
  return { body };
}

export function scheduleText(s: MeasureSchedule): string {
  const n = s.interval_days ?? 0;
  const days = `${n} ${n === 1 ? 'day' : 'days'}`;
  switch (s.kind) {
    case 'before_each_session':
      return `before each session, from ${s.start_date}`;
    case 'every_n_days':
      return `every ${days} from ${s.start_date}${s.reset_on_treatment ? ', restarting at each session' : ''}`;
    case 'n_days_after_each_session':
      return `${days} after each session, from ${s.start_date}`;
  }
}

export function dueText(d: DueItem): string {
  if (d.status === 'completed') return `done (${d.rule})`;
  if (d.status === 'overdue') return `overdue by ${d.days_overdue} ${d.days_overdue === 1 ? 'day' : 'days'} (due ${d.due_on}, ${d.rule})`;
  return `due ${d.due_on} (${d.rule})`;
}
