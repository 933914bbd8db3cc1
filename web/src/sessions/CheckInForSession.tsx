// "Check in for a session" on a treatment course of the patient chart (session.record):
// names the chair and opens the new session's page. A refusal (the patient is already
// checked in, the course is discontinued) is shown as the server words it.
import { useContext, useState } from 'preact/hooks';
import { checkIn } from '../api/sessions';
import { SessionContext } from '../auth/SessionContext';
import { hasPermission } from '../auth/permissions';
import { TextField } from '../components/Field';
import { ErrorAlert } from '../components/Status';
import { navigate } from '../router';
import { useServerForm } from './useServerForm';

export function CheckInForSession({ course }: { course: { id: number | string; state: string } }) {
  // Read without useSession: the course panel is also rendered outside a signed-in shell (its component tests).
  const login = useContext(SessionContext);
  const [open, setOpen] = useState(false);
  const [chair, setChair] = useState('');
  const form = useServerForm(['chair']);
  if (!login || !hasPermission(login.session.permissions, 'session.record') || course.state === 'discontinued') return null;
  const id = `checkin-${course.id}-chair`;
  const submit = (e: Event) => {
    e.preventDefault();
    const errors: Record<string, string> = chair.trim() ? {} : { chair: 'is required' };
    const body = Object.keys(errors).length ? null : { course_id: Number(course.id), chair: chair.trim() };
    void form.submit({ body, errors }, checkIn, (s) => navigate({ name: 'session', id: String(s.id) }));
  };
  if (!open) {
    return (
      <div class="form-actions">
        <button type="button" class="button" aria-expanded="false" onClick={() => setOpen(true)}>
          Check in for a session
        </button>
      </div>
    );
  }
  return (
    <form onSubmit={submit} noValidate aria-label={`Check in for a session on course ${course.id}`} class="card">
      {form.message ? <ErrorAlert message={form.message} /> : null}
      <TextField id={id} label="Chair" required value={chair} onValue={setChair} error={form.errors.chair} maxLength={60} autoFocus />
      <div class="form-actions">
        <button type="submit" class="button" disabled={form.busy}>
          Check in
        </button>
        <button type="button" class="button button--secondary" onClick={() => setOpen(false)}>
          Back
        </button>
      </div>
    </form>
  );
}
