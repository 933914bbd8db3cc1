// Booking one appointment: a patient found by name or MRN, a chair, a clinician, the kind,
// the local date and time and the duration. Conflicts the server finds (chair, clinician or
// patient taken, outside working hours, chair out of service) are shown as it words them.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { searchPatients } from '../api/patients';
import { bookAppointment, type CalendarChair, type Clinician } from '../api/schedule';
import type { Patient } from '../api/types';
import { ErrorSummary } from '../components/ErrorSummary';
import { SelectField, TextField } from '../components/Field';
import { ErrorAlert } from '../components/Status';
import { patientName } from '../lib/format';
import { useDebounced } from '../lib/useDebounced';
import { KIND_LABELS, bookingErrors, conflictText, localStart, type BookingForm as Form } from './scheduleLogic';

const LABELS: Record<string, string> = {
  patient_id: 'Patient',
  chair_id: 'Chair',
  staff_user_id: 'Clinician',
  kind: 'Kind',
  start: 'Date and time',
  duration_minutes: 'Duration',
};

export function BookingForm({
  chairs,
  clinicians,
  date,
  onBooked,
}: {
  chairs: readonly CalendarChair[];
  clinicians: readonly Clinician[];
  date: string;
  onBooked: (message: string, date: string) => void;
}) {
  const [form, setForm] = useState<Form>({
    patientId: null,
    chairId: '',
    staffId: '',
    kind: 'dosing',
    date,
    time: '09:00',
    duration: '120',
  });
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Patient[]>([]);
  const [chosen, setChosen] = useState<Patient | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const debounced = useDebounced(query, 250);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));

  useEffect(() => {
    let current = true;
    if (debounced.trim().length < 2) {
      setFound([]);
      return;
    }
    searchPatients(debounced, null, 8)
      .then((page) => current && setFound(page.items))
      .catch(() => current && setFound([]));
    return () => {
      current = false;
    };
  }, [debounced]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const problems = bookingErrors(form);
    setErrors(problems);
    setAttempt((n) => n + 1);
    if (Object.keys(problems).length) return;
    setBusy(true);
    setFailure(null);
    try {
      const booked = await bookAppointment({
        patient_id: form.patientId!,
        kind: form.kind as keyof typeof KIND_LABELS,
        chair_id: Number(form.chairId),
        staff_user_id: Number(form.staffId),
        start: localStart(form.date, form.time),
        duration_minutes: Number(form.duration),
      });
      onBooked(`Booked ${patientName(booked.patient)} on ${booked.chair.name}, ${booked.start.replace('T', ' ')}.`, form.date);
    } catch (e: unknown) {
      if (e instanceof ApiError && e.code === 'invalid_input' && e.field && e.field in LABELS) {
        setErrors({ [e.field]: e.message });
        setAttempt((n) => n + 1);
      } else {
        setFailure(e instanceof ApiError && e.code === 'conflict' ? conflictText(e.message) : String((e as Error).message ?? e));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="book-title" class="card">
      <h2 id="book-title">Book an appointment</h2>
      <ErrorSummary errors={errors} attempt={attempt} labels={LABELS} />
      {failure ? <ErrorAlert message={`Not booked: ${failure}`} /> : null}
      <TextField
        id="f-patient_id"
        label="Patient"
        type="search"
        value={query}
        onValue={(v) => {
          setQuery(v);
          setChosen(null);
          set({ patientId: null });
        }}
        required
        hint={chosen ? `Chosen: ${patientName(chosen)} (${chosen.mrn})` : 'Type a name or MRN, then choose the patient.'}
        error={errors.patient_id}
      />
      {found.length && !chosen ? (
        <ul class="schedule-results" aria-label="Matching patients">
          {found.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                class="button button--secondary button--small"
                onClick={() => {
                  setChosen(p);
                  set({ patientId: Number(p.id) });
                  setQuery(`${patientName(p)} (${p.mrn})`);
                }}
              >
                {patientName(p)} ({p.mrn})
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <SelectField
        id="f-chair_id"
        label="Chair"
        value={form.chairId}
        onValue={(v) => set({ chairId: v })}
        placeholder="Choose a chair"
        options={chairs.map((c) => ({ value: String(c.id), label: `${c.name} (${c.room})${c.in_service ? '' : ' – out of service'}` }))}
        required
        error={errors.chair_id}
      />
      <SelectField
        id="f-staff_user_id"
        label="Clinician"
        value={form.staffId}
        onValue={(v) => set({ staffId: v })}
        placeholder="Choose a clinician"
        options={clinicians.map((c) => ({ value: String(c.id), label: `${c.display_name} (${c.roles.join(', ')})` }))}
        required
        error={errors.staff_user_id}
      />
      <SelectField
        id="f-kind"
        label="Kind"
        value={form.kind}
        onValue={(v) => set({ kind: v })}
        options={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))}
        required
        error={errors.kind}
      />
      <TextField id="f-start" label="Appointment date" type="date" value={form.date} onValue={(v) => set({ date: v })} required error={errors.start} />
      <TextField
        id="f-time"
        label="Start time"
        value={form.time}
        onValue={(v) => set({ time: v })}
        required
        hint="24-hour HH:MM, clinic time"
      />
      <TextField
        id="f-duration_minutes"
        label="Duration (minutes)"
        inputMode="numeric"
        value={form.duration}
        onValue={(v) => set({ duration: v })}
        required
        error={errors.duration_minutes}
      />
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          Book
        </button>
      </div>
    </form>
  );
}
