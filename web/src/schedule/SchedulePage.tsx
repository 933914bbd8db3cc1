// The Schedule page: the day or week calendar by chair in clinic time (previous/next,
// today, a date picker), each appointment a button opening its details with reschedule and
// cancel (reasons required), the booking form for staff who may write the schedule, and
// the reminders still to send. Dates stay in page state, never in the URL with patients.
import { useEffect, useState } from 'preact/hooks';
import './schedule.css';
import { getCalendar, listClinicians, type Appointment, type Calendar, type Clinician } from '../api/schedule';
import { useSession } from '../auth/SessionContext';
import { hasPermission } from '../auth/permissions';
import { TextField } from '../components/Field';
import { ApiErrorView, Loading, Notice } from '../components/Status';
import { patientName } from '../lib/format';
import { useTitle } from '../lib/useTitle';
import { AppointmentPanel } from './AppointmentPanel';
import { BookingForm } from './BookingForm';
import { RemindersPanel } from './RemindersPanel';
import { KIND_LABELS, dayLabel, onDate, stepDate, timeRange, todayIn, weekStart } from './scheduleLogic';

function AppointmentButton({ appointment, onOpen }: { appointment: Appointment; onOpen: (id: number) => void }) {
  const cancelled = appointment.status === 'cancelled';
  // The visible text is the accessible name: "09:00–11:00 Dosing: Name, Given (MRN) with Staff".
  return (
    <button
      type="button"
      class={`appointment appointment--${appointment.kind}${cancelled ? ' appointment--cancelled' : ''}`}
      onClick={() => onOpen(appointment.id)}
    >
      <span class="appointment__time">{timeRange(appointment)}</span> <span>{KIND_LABELS[appointment.kind]}:</span>{' '}
      <span class="appointment__who">
        {patientName(appointment.patient)} ({appointment.patient.mrn})
      </span>{' '}
      <span class="appointment__what">with {appointment.staff.display_name}</span>
      {cancelled ? ', cancelled' : ''}
    </button>
  );
}

function CalendarTable({ calendar, onOpen }: { calendar: Calendar; onOpen: (id: number) => void }) {
  const caption =
    calendar.days === 1
      ? `Appointments on ${dayLabel(calendar.date)} by chair (${calendar.timezone})`
      : `Appointments in the week of ${dayLabel(calendar.date)} by chair (${calendar.timezone})`;
  return (
    <div class="table-wrap">
      <table class="table schedule-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Chair</th>
            {calendar.dates.map((d) => (
              <th scope="col" key={d}>
                {dayLabel(d)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {calendar.chairs.map((chair) => (
            <tr key={chair.id}>
              <th scope="row">
                {chair.name}
                <span class="hint"> {chair.room}</span>
                {chair.in_service ? null : <span class="hint"> (out of service)</span>}
              </th>
              {calendar.dates.map((d) => {
                const list = onDate(chair.appointments, d);
                return (
                  <td key={d}>
                    {list.length === 0 ? (
                      <span class="hint">Free</span>
                    ) : (
                      <ul class="appointment-list">
                        {list.map((a) => (
                          <li key={a.id}>
                            <AppointmentButton appointment={a} onOpen={onOpen} />
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SchedulePage() {
  useTitle('Schedule');
  const { session } = useSession();
  const canWrite = hasPermission(session.permissions, 'schedule.write');
  const canSetUp = hasPermission(session.permissions, 'schedule.setup');
  const [date, setDate] = useState(() => todayIn(Intl.DateTimeFormat().resolvedOptions().timeZone));
  const [days, setDays] = useState<1 | 7>(1);
  const [calendar, setCalendar] = useState<Calendar | null>(null);
  const [clinicians, setClinicians] = useState<Clinician[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [zone, setZone] = useState<string | null>(null);
  const shown = days === 7 ? weekStart(date) : date;

  useEffect(() => {
    let current = true;
    setError(null);
    getCalendar(shown, days)
      .then((c) => {
        if (!current) return;
        // The first answer tells the clinic's zone: "today" is the clinic's today.
        if (!zone) {
          setZone(c.timezone);
          const today = todayIn(c.timezone);
          if (today !== date && reload === 0) {
            setDate(today);
            return;
          }
        }
        setCalendar(c);
      })
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [shown, days, reload]);

  useEffect(() => {
    if (!canWrite) return;
    listClinicians()
      .then((r) => setClinicians(r.items))
      .catch(() => setClinicians([]));
  }, [canWrite]);

  const changed = (text: string) => {
    setMessage(text);
    setOpen(null);
    setReload((n) => n + 1);
  };
  const unit = days === 7 ? 'week' : 'day';

  return (
    <section aria-labelledby="schedule-title">
      <h1 id="schedule-title" tabIndex={-1}>
        Schedule
      </h1>
      {canSetUp ? (
        <p class="schedule-setup-link">
          <a href="#/schedule/setup">Schedule set-up: chairs and working hours</a>
        </p>
      ) : null}
      {message ? <Notice message={message} /> : null}
      <div class="schedule-toolbar" role="toolbar" aria-label="Calendar navigation">
        <button type="button" class="button button--secondary" onClick={() => setDate(stepDate(date, days, -1))}>
          Previous {unit}
        </button>
        <button type="button" class="button button--secondary" onClick={() => setDate(todayIn(zone ?? 'UTC'))}>
          Today
        </button>
        <button type="button" class="button button--secondary" onClick={() => setDate(stepDate(date, days, 1))}>
          Next {unit}
        </button>
        <button type="button" class="button button--secondary" aria-pressed={days === 1} onClick={() => setDays(1)}>
          Day
        </button>
        <button type="button" class="button button--secondary" aria-pressed={days === 7} onClick={() => setDays(7)}>
          Week
        </button>
        <TextField id="schedule-date" label="Date" type="date" value={date} onValue={(v) => v && setDate(v)} />
      </div>
      {error ? (
        <ApiErrorView error={error} what="Calendar" />
      ) : !calendar ? (
        <Loading what="the calendar" />
      ) : (
        <CalendarTable calendar={calendar} onOpen={setOpen} />
      )}
      {open !== null ? (
        <AppointmentPanel id={open} canWrite={canWrite} onChanged={changed} onClose={() => setOpen(null)} />
      ) : null}
      {canWrite && calendar ? (
        <BookingForm
          key={`${date}-${reload}`}
          chairs={calendar.chairs}
          clinicians={clinicians}
          date={date}
          onBooked={(text, day) => {
            setDate(day);
            changed(text);
          }}
        />
      ) : null}
      <RemindersPanel canWrite={canWrite} reload={reload} onSent={changed} />
    </section>
  );
}
