// The chart's measure schedules: each active schedule with what it makes due now and next
// (due, overdue, done), a stop form that needs the reason (the schedule is kept, stopped), the
// stopped ones for the record, and a form to add a schedule (before each session, every N days
// with an optional restart at each session, N days after each session, from a start date).
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { createSchedule, listSchedules, stopSchedule, type MeasureSchedule, type ScheduleKind } from '../api/measureSchedules';
import { SelectField, TextField } from '../components/Field';
import { ApiErrorView, ErrorAlert, Loading } from '../components/Status';
import { dueText, KIND_OPTIONS, scheduleBody, scheduleText } from './scheduleForm';
import type { Instrument } from './measureForm';

function StopForm({ schedule, onStopped }: { schedule: MeasureSchedule; onStopped: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!reason.trim()) return setError('Give the reason for stopping.');
    try {
      await stopSchedule(schedule.id, reason.trim());
      onStopped();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <form class="inline-form" onSubmit={submit} noValidate aria-label={`Stop schedule ${schedule.id}`}>
      <TextField id={`stop-reason-${schedule.id}`} label="Reason for stopping" value={reason} onValue={setReason} maxLength={500} error={error ?? undefined} />
      <button type="submit" class="button button--secondary">
        Stop schedule
      </button>
    </form>
  );
}

function AddScheduleForm({ patientId, instruments, onAdded }: { patientId: string; instruments: Instrument[]; onAdded: () => void }) {
  const [instrument, setInstrument] = useState('');
  const [kind, setKind] = useState<ScheduleKind | ''>('');
  const [interval, setIntervalDays] = useState('');
  const [reset, setReset] = useState(false);
  const [start, setStart] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setMessage(null);
    const built = scheduleBody({ instrument, kind, interval, reset, start });
    if ('field' in built) return setErrors({ [built.field]: built.message });
    setErrors({});
    try {
      await createSchedule(patientId, built.body);
      setInstrument('');
      setKind('');
      setIntervalDays('');
      setReset(false);
      setStart('');
      onAdded();
    } catch (e) {
      if (e instanceof ApiError && e.field) setErrors({ [e.field]: e.message });
      else setMessage(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <form class="measurement-form" onSubmit={submit} noValidate aria-labelledby="add-schedule-title">
      <h4 id="add-schedule-title">Add a schedule</h4>
      {message ? <ErrorAlert message={message} /> : null}
      <div class="grid grid--compact">
        <SelectField id="schedule-instrument" label="Measure to schedule" value={instrument} placeholder="Choose an instrument" onValue={setInstrument}
          options={instruments.map((i) => ({ value: i.instrument, label: i.title }))} error={errors['instrument']} />
        <SelectField id="schedule-kind" label="Falls due" value={kind} placeholder="Choose" onValue={(v) => setKind(v as ScheduleKind | '')}
          options={KIND_OPTIONS} error={errors['kind']} />
        {kind && kind !== 'before_each_session' ? (
          <TextField id="schedule-interval" label="N (days)" inputMode="numeric" value={interval} onValue={setIntervalDays} error={errors['interval_days']} />
        ) : null}
        <TextField id="schedule-start" label="Start date (YYYY-MM-DD, default today)" value={start} onValue={setStart} error={errors['start_date']} />
      </div>
      {kind === 'every_n_days' ? (
        <label class="checkbox" for="schedule-reset">
          <input id="schedule-reset" type="checkbox" checked={reset} onChange={(e) => setReset((e.currentTarget as HTMLInputElement).checked)} />
          Restart the clock at each treatment session
        </label>
      ) : null}
      {errors['reset_on_treatment'] ? <ErrorAlert message={errors['reset_on_treatment']} /> : null}
      <div class="form-actions">
        <button type="submit" class="button">
          Add schedule
        </button>
      </div>
    </form>
  );
}

export function MeasureSchedules({ patientId, canWrite, instruments, reload }: { patientId: string; canWrite: boolean; instruments: Instrument[]; reload: number }) {
  const [schedules, setSchedules] = useState<MeasureSchedule[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [own, setOwn] = useState(0);

  useEffect(() => {
    let current = true;
    listSchedules(patientId)
      .then((page) => current && setSchedules(page.items))
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [patientId, reload, own]);

  const refresh = () => setOwn((n) => n + 1);
  const active = schedules?.filter((s) => s.status === 'active') ?? [];
  const stopped = schedules?.filter((s) => s.status === 'stopped') ?? [];
  const title = (key: string) => instruments.find((i) => i.instrument === key)?.title ?? key;

  return (
    <section aria-labelledby="schedules-title" class="measure-schedules">
      <h3 id="schedules-title">Schedules and due measures</h3>
      {error ? (
        <ApiErrorView error={error} what="Measure schedules" />
      ) : !schedules ? (
        <Loading what="measure schedules" />
      ) : active.length === 0 ? (
        <p>No active schedule.</p>
      ) : (
        <ul class="schedule-list" aria-label="Active measure schedules">
          {active.map((s) => (
            <li key={s.id}>
              <strong>{title(s.instrument)}</strong> {scheduleText(s)}
              <ul aria-label={`Due items of schedule ${s.id}`}>
                {s.due.map((d) => (
                  <li key={d.due_on} class={`due due--${d.status}`} data-status={d.status}>
                    {dueText(d)}
                  </li>
                ))}
              </ul>
              {canWrite ? <StopForm schedule={s} onStopped={refresh} /> : null}
            </li>
          ))}
        </ul>
      )}
      {stopped.length ? (
        <details>
          <summary>Stopped schedules ({stopped.length})</summary>
          <ul>
            {stopped.map((s) => (
              <li key={s.id}>
                {title(s.instrument)} {scheduleText(s)}: stopped {s.stopped?.at.slice(0, 10)} by {s.stopped?.by} ({s.stopped?.reason})
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {canWrite && instruments.length ? <AddScheduleForm patientId={patientId} instruments={instruments} onAdded={refresh} /> : null}
    </section>
  );
}
