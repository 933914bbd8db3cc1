// SCHEDULING SLOT: "Plan appointment series" for a treatment course. The scheduling module
// (its own Schedule page, built separately) owns POST /api/v1/courses/{id}/appointment-series;
// this dialog only collects {first_start, sessions, per_week, duration_minutes, chair_id,
// staff_user_id} (chairs from GET /api/v1/chairs, clinicians from GET /api/v1/users) and lists the
// appointments created. Until that endpoint exists its 404 is shown like any other error.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { listChairs, planAppointmentSeries } from '../api/course';
import type { Appointment, Chair, ClinicUser, TreatmentCourse } from '../api/types';
import { listUsers } from '../api/users';
import { ErrorSummary } from '../components/ErrorSummary';
import { fieldId, SelectField, TextField } from '../components/Field';
import { ErrorAlert } from '../components/Status';
import { dateTime } from '../lib/format';
import { seriesRequest, validateSeries, type SeriesFormValues } from './courseState';

const LABELS: Record<string, string> = {
  'series-first_start': 'First appointment',
  'series-sessions': 'Sessions',
  'series-per_week': 'Sessions per week',
  'series-duration_minutes': 'Duration (minutes)',
  'series-chair_id': 'Chair',
  'series-staff_user_id': 'Staff member',
};

/** The clinic-local start as the scheduling API words it ("2026-06-02T09:00" → "2026-06-02 09:00"). */
export function appointmentLine(a: Appointment): string {
  const start = typeof a.start === 'string' ? a.start.replace('T', ' ') : typeof a.starts_at === 'string' ? dateTime(a.starts_at) : `Appointment ${String(a.id)}`;
  const parts = [start];
  if (a.chair?.name) parts.push(a.chair.room ? `${a.chair.name} (${a.chair.room})` : a.chair.name);
  if (a.staff?.display_name) parts.push(a.staff.display_name);
  return parts.join(', ') + (a.status ? ` — ${a.status}` : '');
}

const CLINICIAN_ROLES = ['prescriber', 'nurse', 'therapist'];

export function AppointmentSeriesDialog({ course, onClose }: { course: TreatmentCourse; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [chairs, setChairs] = useState<Chair[]>([]);
  const [staff, setStaff] = useState<ClinicUser[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [values, setValues] = useState<SeriesFormValues>({
    first_start: '',
    sessions: '6',
    per_week: '2',
    duration_minutes: '120',
    chair_id: '',
    staff_user_id: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Appointment[] | null>(null);
  const set = (key: keyof SeriesFormValues) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    const problems: string[] = [];
    Promise.allSettled([listChairs(), listUsers()]).then(([c, u]) => {
      if (c.status === 'fulfilled') setChairs(c.value);
      else problems.push(`Chairs could not be loaded: ${c.reason instanceof Error ? c.reason.message : String(c.reason)}`);
      if (u.status === 'fulfilled') setStaff(u.value.filter((user) => !user.disabled && user.roles.some((r) => CLINICIAN_ROLES.includes(r))));
      else problems.push(`Staff could not be loaded: ${u.reason instanceof Error ? u.reason.message : String(u.reason)}`);
      setLoadError(problems.length ? problems.join(' ') : null);
    });
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = Object.fromEntries(Object.entries(validateSeries(values)).map(([k, v]) => [`series-${k}`, v]));
    setErrors(found);
    setMessage(null);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      setCreated(await planAppointmentSeries(course.id, seriesRequest(values)));
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      if (e instanceof ApiError && e.field && LABELS[`series-${e.field}`]) {
        setErrors({ [`series-${e.field}`]: text });
        setMessage('The appointments were not planned. Please correct the following:');
      } else {
        setMessage(`The appointments were not planned: ${text}`);
      }
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="series-title" onClose={onClose}>
      <h2 id="series-title">Plan appointment series</h2>
      <p>
        {course.protocol_title}: {course.goal}
      </p>
      {created ? (
        <>
          <p role="status">
            {created.length} {created.length === 1 ? 'appointment' : 'appointments'} planned.
          </p>
          <ol class="appointments">
            {created.map((a) => (
              <li key={String(a.id)}>{appointmentLine(a)}</li>
            ))}
          </ol>
          <div class="form-actions">
            <button type="button" class="button" onClick={() => dialog.current?.close()}>
              Close
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          {loadError ? <ErrorAlert message={loadError} /> : null}
          <ErrorSummary errors={errors} message={message} attempt={attempt} labels={LABELS} />
          <TextField
            id={fieldId('series-first_start')}
            label="First appointment"
            type="datetime-local"
            hint="The clinic's local time. The protocol limits the sessions and sessions per week."
            required
            value={values.first_start}
            onValue={set('first_start')}
            error={errors['series-first_start']}
          />
          <div class="grid grid--compact">
            <TextField id={fieldId('series-sessions')} label="Sessions" inputMode="numeric" required value={values.sessions} onValue={set('sessions')} error={errors['series-sessions']} />
            <TextField id={fieldId('series-per_week')} label="Sessions per week" inputMode="numeric" required value={values.per_week} onValue={set('per_week')} error={errors['series-per_week']} />
            <TextField
              id={fieldId('series-duration_minutes')}
              label="Duration (minutes)"
              inputMode="numeric"
              required
              value={values.duration_minutes}
              onValue={set('duration_minutes')}
              error={errors['series-duration_minutes']}
            />
          </div>
          <SelectField
            id={fieldId('series-chair_id')}
            label="Chair"
            required
            value={values.chair_id}
            onValue={set('chair_id')}
            options={chairs.map((c) => ({
              value: String(c.id),
              label: `${c.name}${c.room ? ` (${c.room})` : ''}${c.in_service === false ? ' — out of service' : ''}`,
            }))}
            placeholder="Choose…"
            error={errors['series-chair_id']}
          />
          <SelectField
            id={fieldId('series-staff_user_id')}
            label="Staff member"
            required
            value={values.staff_user_id}
            onValue={set('staff_user_id')}
            options={staff.map((u) => ({ value: String(u.id), label: `${u.display_name} (${u.username})` }))}
            placeholder="Choose…"
            error={errors['series-staff_user_id']}
          />
          <div class="form-actions">
            <button type="submit" class="button" disabled={busy}>
              {busy ? 'Planning…' : 'Plan appointments'}
            </button>
            <button type="button" class="button button--secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
