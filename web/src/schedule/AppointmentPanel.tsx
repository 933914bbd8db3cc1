// One appointment opened from the calendar: who, where and when, its history of slots
// (bookings, reschedules, cancellations with their reasons) and reminders, and for staff
// who may write the schedule the reschedule and cancel forms, each needing a reason.
import { useEffect, useRef, useState } from 'preact/hooks';
import { cancelAppointment, getAppointment, rescheduleAppointment, type AppointmentDetail } from '../api/schedule';
import { ApiError } from '../api/client';
import { TextAreaField, TextField } from '../components/Field';
import { ApiErrorView, ErrorAlert, Loading } from '../components/Status';
import { dateTime, patientName } from '../lib/format';
import { KIND_LABELS, REASON_MAX, conflictText, localStart, reasonError, startErrors, timeRange } from './scheduleLogic';

const ACTION_LABELS = { book: 'Booked', reschedule: 'Rescheduled', cancel: 'Cancelled' } as const;

function serverMessage(e: unknown): string {
  if (e instanceof ApiError && e.code === 'conflict') return conflictText(e.message);
  return e instanceof Error ? e.message : String(e);
}

export function AppointmentPanel({
  id,
  canWrite,
  onChanged,
  onClose,
}: {
  id: number;
  canWrite: boolean;
  onChanged: (message: string) => void;
  onClose: () => void;
}) {
  const [detail, setDetail] = useState<AppointmentDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [moveReason, setMoveReason] = useState('');
  const [cancelReason, setCancelReason] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let current = true;
    setDetail(null);
    getAppointment(id)
      .then((d) => {
        if (!current) return;
        setDetail(d);
        setDate(d.start.slice(0, 10));
        setTime(d.start.slice(11, 16));
        heading.current?.focus();
      })
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [id]);

  if (error) return <ApiErrorView error={error} what="Appointment" />;
  if (!detail) return <Loading what="the appointment" />;

  const reschedule = async (event: Event) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    const when = startErrors(date, time);
    if (when) errors.start = when;
    const why = reasonError(moveReason);
    if (why) errors.move_reason = why;
    setFieldErrors(errors);
    if (Object.keys(errors).length) return;
    setBusy(true);
    setFailure(null);
    try {
      const moved = await rescheduleAppointment(detail.id, { start: localStart(date, time), reason: moveReason.trim() });
      onChanged(`Appointment for ${patientName(moved.patient)} moved to ${moved.start.replace('T', ' ')}.`);
    } catch (e: unknown) {
      setFailure(serverMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const cancel = async (event: Event) => {
    event.preventDefault();
    const why = reasonError(cancelReason);
    setFieldErrors(why ? { cancel_reason: why } : {});
    if (why) return;
    setBusy(true);
    setFailure(null);
    try {
      const cancelled = await cancelAppointment(detail.id, cancelReason.trim());
      onChanged(`Appointment for ${patientName(cancelled.patient)} on ${cancelled.start.replace('T', ' ')} cancelled.`);
    } catch (e: unknown) {
      setFailure(serverMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="appointment-title">
      <h2 id="appointment-title" tabIndex={-1} ref={heading}>
        {KIND_LABELS[detail.kind]} · {patientName(detail.patient)} ({detail.patient.mrn})
      </h2>
      <p>
        {detail.start.slice(0, 10)} {timeRange(detail)} · {detail.chair.name} ({detail.chair.room}) ·{' '}
        {detail.staff.display_name} · {detail.status === 'cancelled' ? `cancelled: ${detail.cancel_reason ?? ''}` : 'booked'}
      </p>
      <h3>History</h3>
      <ol aria-label="Appointment history">
        {detail.history.map((h) => (
          <li key={h.sequence}>
            {ACTION_LABELS[h.action]} {dateTime(h.at)} by {h.by}: {h.start.replace('T', ' ')}–{h.end.slice(11)} ·{' '}
            {h.chair.name}
            {h.reason ? ` · reason: ${h.reason}` : ''}
          </li>
        ))}
      </ol>
      {detail.reminders.length ? (
        <p>
          Reminders:{' '}
          {detail.reminders.map((r) => `${r.channel_note} (${dateTime(r.sent_at)}, ${r.by})`).join('; ')}
        </p>
      ) : null}
      {failure ? <ErrorAlert message={failure} /> : null}
      {canWrite && detail.status === 'booked' ? (
        <div class="schedule-forms">
          <form onSubmit={reschedule} noValidate aria-label="Reschedule appointment">
            <h3>Reschedule</h3>
            <TextField id="move-date" label="New date" type="date" value={date} onValue={setDate} required />
            <TextField
              id="move-time"
              label="New start time"
              value={time}
              onValue={setTime}
              required
              hint="24-hour HH:MM, clinic time"
              error={fieldErrors.start}
            />
            <TextAreaField
              id="move-reason"
              label="Reason for the change"
              value={moveReason}
              onValue={setMoveReason}
              required
              maxLength={REASON_MAX}
              error={fieldErrors.move_reason}
            />
            <div class="form-actions">
              <button type="submit" class="button" disabled={busy}>
                Reschedule
              </button>
            </div>
          </form>
          <form onSubmit={cancel} noValidate aria-label="Cancel appointment">
            <h3>Cancel</h3>
            <TextAreaField
              id="cancel-reason"
              label="Reason for cancelling"
              value={cancelReason}
              onValue={setCancelReason}
              required
              maxLength={REASON_MAX}
              error={fieldErrors.cancel_reason}
            />
            <div class="form-actions">
              <button type="submit" class="button button--danger" disabled={busy}>
                Cancel appointment
              </button>
            </div>
          </form>
        </div>
      ) : null}
      <div class="form-actions">
        <button type="button" class="button button--secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </section>
  );
}
