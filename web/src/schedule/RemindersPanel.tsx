// Reminders for staff to send: booked appointments starting within the next 48 hours whose
// current slot has no reminder recorded yet; each can be marked sent with how it was sent.
import { useEffect, useState } from 'preact/hooks';
import { listReminders, markReminderSent, type Appointment } from '../api/schedule';
import { TextField } from '../components/Field';
import { ApiErrorView, ErrorAlert, Loading } from '../components/Status';
import { patientName } from '../lib/format';
import { KIND_LABELS, NOTE_MAX, timeRange } from './scheduleLogic';

function ReminderItem({ appointment, canWrite, onSent }: { appointment: Appointment; canWrite: boolean; onSent: (m: string) => void }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const id = `reminder-note-${appointment.id}`;
  const who = `${patientName(appointment.patient)} (${appointment.patient.mrn})`;
  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = note.trim();
    const problem = !trimmed ? 'Say how the reminder was sent.' : trimmed.length > NOTE_MAX ? `Keep it under ${NOTE_MAX} characters.` : null;
    setError(problem);
    if (problem) return;
    try {
      await markReminderSent(appointment.id, trimmed);
      onSent(`Reminder recorded for ${who}.`);
    } catch (e: unknown) {
      setFailure(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <li class="card">
      <p>
        <strong>{who}</strong> · {appointment.start.slice(0, 10)} {timeRange(appointment)} · {KIND_LABELS[appointment.kind]} ·{' '}
        {appointment.chair.name} · {appointment.staff.display_name}
      </p>
      {failure ? <ErrorAlert message={failure} /> : null}
      {canWrite ? (
        <form onSubmit={submit} noValidate aria-label={`Reminder for ${who}`} class="inline-form">
          <TextField id={id} label="How it was sent" value={note} onValue={setNote} required maxLength={NOTE_MAX} error={error ?? undefined} hint="e.g. phoned, SMS, e-mail" />
          <button type="submit" class="button button--small">
            Mark reminder sent
          </button>
        </form>
      ) : null}
    </li>
  );
}

export function RemindersPanel({ canWrite, reload, onSent }: { canWrite: boolean; reload: number; onSent: (m: string) => void }) {
  const [items, setItems] = useState<Appointment[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let current = true;
    listReminders(48)
      .then((r) => current && setItems(r.items))
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [reload]);
  return (
    <section aria-labelledby="reminders-title">
      <h2 id="reminders-title">Reminders to send (next 48 hours)</h2>
      {error ? (
        <ApiErrorView error={error} what="Reminders" />
      ) : !items ? (
        <Loading what="reminders" />
      ) : items.length === 0 ? (
        <p role="status">No reminders due.</p>
      ) : (
        <ul class="alert-list" aria-label="Reminders to send">
          {items.map((a) => (
            <ReminderItem key={`${a.id}-${a.sequence}`} appointment={a} canWrite={canWrite} onSent={onSent} />
          ))}
        </ul>
      )}
    </section>
  );
}
