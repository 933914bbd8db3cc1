// A clinician's weekly working hours: choose a staff member (clinicians among the clinic's
// users), see the current week (ranges per weekday, days off), edit the ranges and save them
// as a new version with an optional reason. End-before-start and overlapping ranges are
// refused before sending; the server's field errors ("hours.monday[0].end") appear next to
// the field they name.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { getWorkingHours, listClinicians, setWorkingHours, type StaffWorkingHours } from '../api/schedule';
import type { ClinicUser } from '../api/types';
import { listUsers } from '../api/users';
import { ErrorSummary } from '../components/ErrorSummary';
import { SelectField, TextField, fieldId } from '../components/Field';
import { ApiErrorView, ErrorAlert, Loading, Notice } from '../components/Status';
import { dateTime, roleLabel } from '../lib/format';
import {
  WEEKDAYS,
  WEEKDAY_LABELS,
  clinicalStaff,
  dayPath,
  dayText,
  formToRequest,
  hoursErrors,
  hoursToForm,
  rangePath,
  type HoursForm,
  type Weekday,
} from './setupLogic';

const FIELD_LABELS: Record<string, string> = { reason: 'Reason', hours: 'Working hours' };

function CurrentWeek({ current }: { current: StaffWorkingHours }) {
  return (
    <div class="card">
      <h3 id="current-hours-title">Current hours of {current.display_name}</h3>
      <p class="hint">
        {current.version
          ? `Version ${current.version}, set ${dateTime(current.set_at)} by ${current.set_by}${current.reason ? ` (${current.reason})` : ''}.`
          : 'No working hours set yet: this clinician cannot be booked.'}
      </p>
      <dl class="hours-week" aria-labelledby="current-hours-title">
        {WEEKDAYS.map((day) => (
          <div key={day}>
            <dt>{WEEKDAY_LABELS[day]}</dt>
            <dd>{dayText(current.hours?.[day])}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function HoursEditor({ current, onSaved }: { current: StaffWorkingHours; onSaved: (h: StaffWorkingHours) => void }) {
  const [form, setForm] = useState<HoursForm>(() => hoursToForm(current.hours));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const update = (day: Weekday, ranges: HoursForm[Weekday]) => setForm((f) => ({ ...f, [day]: ranges }));
  const labels: Record<string, string> = { ...FIELD_LABELS };
  for (const day of WEEKDAYS) labels[dayPath(day)] = WEEKDAY_LABELS[day];

  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    const problems = hoursErrors(form);
    setErrors(problems);
    setAttempt((n) => n + 1);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      onSaved(await setWorkingHours(current.user_id, formToRequest(form, reason)));
    } catch (e: unknown) {
      if (e instanceof ApiError && e.code === 'invalid_input' && e.field && (e.field.startsWith('hours') || e.field === 'reason')) {
        setErrors({ [e.field]: e.message });
        setAttempt((n) => n + 1);
      } else {
        setFailure(e instanceof Error ? e.message : String(e));
      }
    } finally {
      setBusy(false);
    }
  };

  const copyMonday = () => {
    setForm((f) => {
      const next = { ...f };
      for (const day of ['tuesday', 'wednesday', 'thursday', 'friday'] as const) next[day] = f.monday.map((r) => ({ ...r }));
      return next;
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="edit-hours-title" class="card">
      <h3 id="edit-hours-title">Edit the hours of {current.display_name}</h3>
      <p class="hint">Clinic local time, 24-hour HH:MM (24:00 for midnight). A day with no ranges is a day off.</p>
      <ErrorSummary errors={errors} attempt={attempt} labels={labels} />
      {failure ? <ErrorAlert message={`Not saved: ${failure}`} /> : null}
      {WEEKDAYS.map((day) => {
        const label = WEEKDAY_LABELS[day];
        const ranges = form[day];
        const dayError = errors[dayPath(day)];
        return (
          <fieldset
            key={day}
            id={fieldId(dayPath(day))}
            tabIndex={-1}
            class={`hours-day${dayError ? ' field--invalid' : ''}`}
            aria-describedby={dayError ? `${fieldId(dayPath(day))}-error` : undefined}
          >
            <legend>{label}</legend>
            {ranges.length === 0 ? <p class="hint">Day off</p> : null}
            {ranges.map((range, i) => {
              const n = ranges.length > 1 ? ` ${i + 1}` : '';
              const set = (patch: Partial<typeof range>) =>
                update(
                  day,
                  ranges.map((r, j) => (j === i ? { ...r, ...patch } : r)),
                );
              return (
                <div class="hours-range" key={i}>
                  <TextField
                    id={fieldId(rangePath(day, i, 'start'))}
                    label={`${label} start${n}`}
                    value={range.start}
                    onValue={(v) => set({ start: v })}
                    inputMode="numeric"
                    maxLength={5}
                    error={errors[rangePath(day, i, 'start')]}
                  />
                  <TextField
                    id={fieldId(rangePath(day, i, 'end'))}
                    label={`${label} end${n}`}
                    value={range.end}
                    onValue={(v) => set({ end: v })}
                    inputMode="numeric"
                    maxLength={5}
                    error={errors[rangePath(day, i, 'end')]}
                  />
                  <button
                    type="button"
                    class="button button--secondary button--small"
                    onClick={() => update(day, ranges.filter((_, j) => j !== i))}
                  >
                    Remove<span class="visually-hidden"> {label} range{n}</span>
                  </button>
                </div>
              );
            })}
            {dayError ? (
              <p id={`${fieldId(dayPath(day))}-error`} class="field-error">
                {dayError}
              </p>
            ) : null}
            <button
              type="button"
              class="button button--secondary button--small"
              onClick={() => {
                const last = ranges[ranges.length - 1];
                update(day, [...ranges, last ? { start: last.end, end: '' } : { start: '08:00', end: '16:00' }]);
              }}
            >
              Add range<span class="visually-hidden"> on {label}</span>
            </button>
          </fieldset>
        );
      })}
      <div class="form-actions">
        <button type="button" class="button button--secondary" onClick={copyMonday}>
          Copy Monday to Tuesday–Friday
        </button>
      </div>
      <TextField
        id="f-reason"
        label="Reason for the change"
        value={reason}
        onValue={setReason}
        maxLength={500}
        hint="Optional, kept with this version."
        error={errors.reason}
      />
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          Save working hours
        </button>
      </div>
    </form>
  );
}

export function WorkingHoursSetup() {
  const [staff, setStaff] = useState<ClinicUser[] | null>(null);
  const [chosen, setChosen] = useState('');
  const [current, setCurrent] = useState<StaffWorkingHours | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    listUsers()
      .then((users) => live && setStaff(clinicalStaff(users)))
      .catch(() =>
        // Without user.read the scheduling list of clinicians serves the same purpose.
        listClinicians()
          .then((r) => live && setStaff(r.items.map((c) => ({ ...c, roles: c.roles as ClinicUser['roles'], disabled: false }))))
          .catch((e: unknown) => live && setError(e)),
      );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    let live = true;
    setCurrent(null);
    setError(null);
    if (!chosen) return;
    getWorkingHours(Number(chosen))
      .then((h) => live && setCurrent(h))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [chosen]);

  return (
    <section aria-labelledby="hours-title" class="setup-section">
      <h2 id="hours-title">Working hours</h2>
      {!staff ? (
        error ? (
          <ApiErrorView error={error} what="Staff" />
        ) : (
          <Loading what="the clinical staff" />
        )
      ) : (
        <SelectField
          id="f-staff"
          label="Staff member"
          value={chosen}
          onValue={(v) => {
            setMessage(null);
            setChosen(v);
          }}
          placeholder="Choose a clinician"
          options={staff.map((u) => ({ value: String(u.id), label: `${u.display_name} (${u.roles.map(roleLabel).join(', ')})` }))}
        />
      )}
      {message ? <Notice message={message} /> : null}
      {staff && error ? <ApiErrorView error={error} what="Working hours" /> : null}
      {chosen && !current && !error ? <Loading what="the working hours" /> : null}
      {current ? (
        <div class="hours-layout">
          <CurrentWeek current={current} />
          <HoursEditor
            key={`${current.user_id}-${current.version}-${version}`}
            current={current}
            onSaved={(h) => {
              setCurrent(h);
              setVersion((n) => n + 1);
              setMessage(`Working hours of ${h.display_name} saved as version ${h.version}.`);
            }}
          />
        </div>
      ) : null}
    </section>
  );
}
