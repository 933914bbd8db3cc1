// Today: the day's dosing sessions as a chair board (chair, patient, phase, minutes in
// phase ticking, what is due, overdue vitals highlighted), refetched whenever the server says a
// session changed (event stream, topic "sessions"; polling while the stream is down), each linking
// to its session page; and, for staff who record on sessions, checking a patient in: find the
// patient, pick one of their treatment courses, name the chair. The search text stays in
// memory; only the new session's id reaches the URL.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { searchPatients } from '../api/patients';
import { checkIn, listCourses, listDay, type CourseOption, type SessionSummary } from '../api/sessions';
import type { Patient } from '../api/types';
import { useSession } from '../auth/SessionContext';
import { hasPermission } from '../auth/permissions';
import { TextField } from '../components/Field';
import { ApiErrorView, ErrorAlert, Loading } from '../components/Status';
import { patientName } from '../lib/format';
import { useTitle } from '../lib/useTitle';
import { LiveNote } from '../monitor/LiveNote';
import { useLiveUpdates } from '../monitor/useLiveUpdates';
import { href, navigate } from '../router';
import { elapsedMs, isOpenPhase, minutesLabel, phaseLabel, vitalsDueNow } from './sessionLogic';
import { useNow } from './useNow';
import { useServerForm } from './useServerForm';
import './sessions.css';

function CheckInForm() {
  const [query, setQuery] = useState('');
  const [patients, setPatients] = useState<Patient[] | null>(null);
  const [searchError, setSearchError] = useState<unknown>(null);
  const [patient, setPatient] = useState<Patient | null>(null);
  const [courses, setCourses] = useState<CourseOption[] | null>(null);
  const [courseId, setCourseId] = useState<number | null>(null);
  const [chair, setChair] = useState('');
  const form = useServerForm(['course_id', 'chair']);

  const search = async (e: Event) => {
    e.preventDefault();
    setSearchError(null);
    if (query.trim().length < 2) {
      setSearchError(new Error('Type at least two letters of the name or the MRN.'));
      return;
    }
    try {
      setPatients((await searchPatients(query.trim(), null, 10)).items);
    } catch (err: unknown) {
      setSearchError(err);
    }
  };

  const choose = async (p: Patient) => {
    setPatient(p);
    setCourses(null);
    setCourseId(null);
    try {
      const list = (await listCourses(Number(p.id))).items;
      setCourses(list);
      if (list.length === 1) setCourseId(list[0]!.id);
    } catch (err: unknown) {
      setSearchError(err);
    }
  };

  const submit = (e: Event) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (courseId === null) errors.course_id = 'choose the treatment course';
    if (!chair.trim()) errors.chair = 'is required';
    const body = Object.keys(errors).length ? null : { course_id: courseId!, chair: chair.trim() };
    void form.submit({ body, errors }, checkIn, (s) => navigate({ name: 'session', id: String(s.id) }));
  };

  return (
    <section class="card" aria-labelledby="checkin-title">
      <h2 id="checkin-title">Check in for a session</h2>
      <form onSubmit={search} noValidate aria-label="Find the patient" class="search">
        <TextField id="ci-query" label="Patient name or MRN" type="search" value={query} onValue={setQuery} />
        <div class="form-actions">
          <button type="submit" class="button button--secondary">
            Find patient
          </button>
        </div>
      </form>
      {searchError ? <ApiErrorView error={searchError} what="Patient" /> : null}
      {patients && !patient ? (
        patients.length ? (
          <ul class="choice-list" aria-label="Matching patients">
            {patients.map((p) => (
              <li key={p.id}>
                <button type="button" class="button button--secondary choice" onClick={() => void choose(p)}>
                  {patientName(p)} · {p.mrn} · born {p.birth_date}
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p role="status">No patient matches.</p>
        )
      ) : null}
      {patient ? (
        <form onSubmit={submit} noValidate aria-label="Check in">
          <p>
            <strong>{patientName(patient)}</strong> ({patient.mrn}){' '}
            <button type="button" class="button button--secondary button--small" onClick={() => { setPatient(null); setCourses(null); }}>
              Choose another patient
            </button>
          </p>
          {form.message ? <ErrorAlert message={form.message} /> : null}
          {!courses ? (
            <Loading what="treatment courses" />
          ) : courses.length === 0 ? (
            <p class="alert alert--warning">This patient has no treatment course; open one on the chart first.</p>
          ) : (
            <fieldset class={`roles${form.errors.course_id ? ' field--invalid' : ''}`} aria-describedby={form.errors.course_id ? 'ci-course-error' : undefined}>
              <legend>Treatment course</legend>
              {courses.map((c) => (
                <label key={c.id} class="checkbox" for={`ci-course-${c.id}`}>
                  <input type="radio" id={`ci-course-${c.id}`} name="ci-course" checked={courseId === c.id} onChange={() => setCourseId(c.id)} />
                  Course #{c.id}: {c.protocol_title} v{c.protocol_version} ({c.state})
                </label>
              ))}
              {form.errors.course_id ? (
                <p id="ci-course-error" class="field-error">
                  {form.errors.course_id}
                </p>
              ) : null}
            </fieldset>
          )}
          <TextField id="ci-chair" label="Chair" required value={chair} onValue={setChair} error={form.errors.chair} maxLength={60} />
          <div class="form-actions">
            <button type="submit" class="button" disabled={form.busy}>
              Check in
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

function Board({ items, now }: { items: SessionSummary[]; now: number }) {
  if (items.length === 0) return <p role="status">No sessions on this day.</p>;
  return (
    <ul class="chair-board" aria-label="Sessions by chair">
      {items.map((s) => {
        const overdue = vitalsDueNow(s, now);
        const open = isOpenPhase(s.phase);
        return (
          <li key={s.id} class={`chair-card card${overdue ? ' chair-card--overdue' : ''}${open ? '' : ' chair-card--closed'}`} data-session={s.id}>
            <p class="chair-card__chair">{s.chair}</p>
            <p class="chair-card__patient">
              <a href={href({ name: 'session', id: String(s.id) })}>{patientName(s.patient)}</a> <span class="hint">{s.patient.mrn}</span>
            </p>
            <p>
              <span class={`phase phase--${s.phase}`}>{phaseLabel(s.phase)}</span>
              {open ? ` · ${minutesLabel(elapsedMs(s.phase_started_at, now))} in phase` : ''}
            </p>
            <p>Next: {s.next_due}</p>
            {overdue ? <p class="alert alert--error vitals-due">Vitals due now</p> : null}
          </li>
        );
      })}
    </ul>
  );
}

export function TodayPage() {
  useTitle('Today');
  const { session } = useSession();
  const canCheckIn = hasPermission(session.permissions, 'session.record') && hasPermission(session.permissions, 'patient.read');
  const now = useNow(15_000);
  // Empty: today in the clinic's time zone (the server says which day that is).
  const [date, setDate] = useState('');
  const [shownDate, setShownDate] = useState('');
  const [items, setItems] = useState<SessionSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    if (date !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(date)) return;
    listDay(date)
      .then((day) => {
        setShownDate(day.date);
        setItems(day.items);
        setError(null);
      })
      .catch((e: unknown) => setError(e));
  }, [date]);

  const live = useLiveUpdates('sessions', load);
  // The hook fetched on opening; a different day fetches at once.
  const shownLoad = useRef(load);
  useEffect(() => {
    if (shownLoad.current === load) return;
    shownLoad.current = load;
    setItems(null);
    load();
  }, [load]);

  return (
    <section aria-labelledby="today-title">
      <h1 id="today-title" tabIndex={-1}>
        Today
      </h1>
      <div class="today-toolbar">
        <TextField id="today-date" label="Day (clinic time)" type="date" value={date || shownDate} onValue={setDate} />
      </div>
      <LiveNote status={live.status} />
      {error ? <ApiErrorView error={error} what="Day list" /> : !items ? <Loading what="the day's sessions" /> : <Board items={items} now={now} />}
      {canCheckIn ? <CheckInForm /> : null}
    </section>
  );
}
