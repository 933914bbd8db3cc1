// Treatment courses on the patient chart: open a course (protocol, goal), its state and
// readiness (eligibility, consent), the transition history, the allowed moves with what
// blocks each one, and a move with its reason (and optional re-evaluation date). A refusal
// (409) is shown with the server's message, which names the rule.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { listCourses, openCourse, transitionCourse } from '../api/course';
import type { ProtocolSummary, TreatmentCourse } from '../api/types';
import { ErrorSummary } from '../components/ErrorSummary';
import { fieldId, SelectField, TextAreaField, TextField } from '../components/Field';
import { ErrorAlert, Loading, Notice } from '../components/Status';
import { dateTime } from '../lib/format';
import { todayIso } from '../lib/validation';
import { AppointmentSeriesDialog } from './AppointmentSeriesDialog';
import { stateLabel, transitionOptions, transitionRequest, validateTransition, type TransitionFormValues } from './courseState';

function OpenCourseForm({ patientId, protocols, defaultProtocol, onOpened, onCancel }: {
  patientId: string;
  protocols: ProtocolSummary[];
  defaultProtocol: string;
  onOpened: (course: TreatmentCourse) => void;
  onCancel: () => void;
}) {
  const [protocolId, setProtocolId] = useState(defaultProtocol);
  const [goal, setGoal] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const labels = { 'course-protocol_id': 'Protocol', 'course-goal': 'Goal of the course' };

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!protocolId) found['course-protocol_id'] = 'Choose the protocol for this course.';
    if (!goal.trim()) found['course-goal'] = 'Describe the goal of the course.';
    setErrors(found);
    setMessage(null);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      onOpened(await openCourse(patientId, protocolId, goal.trim()));
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      if (e instanceof ApiError && (e.field === 'protocol_id' || e.field === 'goal')) {
        setErrors({ [`course-${e.field}`]: text });
        setMessage('The course was not opened. Please correct the following:');
      } else setMessage(`The course was not opened: ${text}`);
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="open-course-title" class="open-course">
      <h3 id="open-course-title">Open a treatment course</h3>
      <ErrorSummary errors={errors} message={message} attempt={attempt} labels={labels} />
      <SelectField
        id={fieldId('course-protocol_id')}
        label="Protocol"
        required
        value={protocolId}
        onValue={setProtocolId}
        options={protocols.map((p) => ({ value: p.id, label: `${p.title} (v${p.version})` }))}
        placeholder="Choose…"
        error={errors['course-protocol_id']}
      />
      <TextAreaField
        id={fieldId('course-goal')}
        label="Goal of the course"
        required
        value={goal}
        onValue={setGoal}
        error={errors['course-goal']}
        rows={2}
        maxLength={2000}
      />
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          Open course
        </button>
        <button type="button" class="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function TransitionForm({ course, onMoved }: { course: TreatmentCourse; onMoved: (c: TreatmentCourse) => void }) {
  const options = transitionOptions(course);
  const [values, setValues] = useState<TransitionFormValues>({ to: '', reason: '', reevaluation_due_on: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const prefix = `course-${course.id}-`;
  const labels = { [`${prefix}to`]: 'Move to', [`${prefix}reason`]: 'Reason', [`${prefix}reevaluation_due_on`]: 'Re-evaluation due' };
  const set = (key: keyof TransitionFormValues) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  if (!options.length) return <p class="muted">No further moves: this course has ended.</p>;
  const chosen = options.find((o) => o.to === values.to);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = Object.fromEntries(Object.entries(validateTransition(values, todayIso())).map(([k, v]) => [`${prefix}${k}`, v]));
    setErrors(found);
    setMessage(null);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const moved = await transitionCourse(course.id, transitionRequest(values));
      setValues({ to: '', reason: '', reevaluation_due_on: '' });
      onMoved(moved);
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      if (e instanceof ApiError && e.field && labels[`${prefix}${e.field}`]) {
        setErrors({ [`${prefix}${e.field}`]: text });
        setMessage(`Not moved to ${stateLabel(values.to).toLowerCase()}:`);
      } else {
        // A refusal names the rule: shown exactly as the server words it.
        setMessage(`Not moved to ${stateLabel(values.to).toLowerCase()}: ${text}`);
      }
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-label={`Change the state of course ${course.id}`} class="transition-form">
      <ErrorSummary errors={errors} message={message} attempt={attempt} labels={labels} />
      <div class="grid grid--compact">
        <SelectField
          id={fieldId(`${prefix}to`)}
          label="Move to"
          required
          value={values.to}
          onValue={set('to')}
          options={options.map((o) => ({ value: o.to, label: `${stateLabel(o.to)}${o.ready ? '' : ' (not ready)'}` }))}
          placeholder="Choose…"
          error={errors[`${prefix}to`]}
        />
        <TextField
          id={fieldId(`${prefix}reevaluation_due_on`)}
          label="Re-evaluation due (optional)"
          type="date"
          value={values.reevaluation_due_on}
          onValue={set('reevaluation_due_on')}
          error={errors[`${prefix}reevaluation_due_on`]}
        />
      </div>
      {chosen && !chosen.ready ? (
        <div class="alert alert--warning" role="status">
          <p>Not ready to move to {stateLabel(chosen.to).toLowerCase()}:</p>
          <ul>
            {chosen.blockedBy.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <TextAreaField
        id={fieldId(`${prefix}reason`)}
        label="Reason"
        required
        value={values.reason}
        onValue={set('reason')}
        error={errors[`${prefix}reason`]}
        rows={2}
      />
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          Change state
        </button>
      </div>
    </form>
  );
}

function CourseView({ course, canPlan, canSchedule, onMoved }: {
  course: TreatmentCourse;
  canPlan: boolean;
  canSchedule: boolean;
  onMoved: (moved: TreatmentCourse) => void;
}) {
  const [notice, setNotice] = useState<string | null>(null);
  const [planning, setPlanning] = useState(false);
  const options = transitionOptions(course);
  const readiness = course.readiness;
  return (
    <article class="course" aria-labelledby={`course-${course.id}-title`}>
      <h3 id={`course-${course.id}-title`}>
        {course.protocol_title}: <span class={`state state--${course.state}`}>{stateLabel(course.state)}</span>
      </h3>
      <p>Goal: {course.goal}</p>
      <p class="muted">
        Opened {dateTime(course.created_at)} by {course.created_by}
        {course.reevaluation_due_on ? `; re-evaluation due ${course.reevaluation_due_on}` : ''}.
      </p>
      {notice ? <Notice message={notice} /> : null}
      {readiness ? (
        <ul class="readiness">
          <li class={readiness.eligibility.ok ? 'readiness--ok' : 'readiness--blocked'}>
            <strong>Eligibility:</strong> {readiness.eligibility.ok ? 'ready' : 'not ready'}
            {readiness.eligibility.message ? ` — ${readiness.eligibility.message}` : ''}
          </li>
          <li class={readiness.consent.ok ? 'readiness--ok' : 'readiness--blocked'}>
            <strong>Consent:</strong> {readiness.consent.ok ? 'ready' : 'not ready'}
            {readiness.consent.message ? ` — ${readiness.consent.message}` : ''}
          </li>
        </ul>
      ) : null}
      {options.length ? (
        <>
          <h4>Possible next states</h4>
          <ul class="allowed">
            {options.map((o) => (
              <li key={o.to}>
                {stateLabel(o.to)}: {o.ready ? <span class="badge badge--ok">ready</span> : <span class="badge badge--warning">not ready</span>}
                {o.blockedBy.length ? (
                  <ul>
                    {o.blockedBy.map((m) => (
                      <li key={m}>{m}</li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {canPlan ? (
        <TransitionForm
          key={`${course.id}-${course.transitions.length}`}
          course={course}
          onMoved={(moved) => {
            setNotice(`Course moved to ${stateLabel(moved.state).toLowerCase()}.`);
            onMoved(moved);
          }}
        />
      ) : null}
      {/* Scheduling slot: the scheduling module (schedule.write) books this course's appointments. */}
      {canSchedule && course.state !== 'discontinued' ? (
        <div class="scheduling-slot">
          <button type="button" class="button button--secondary" onClick={() => setPlanning(true)}>
            Plan appointment series
          </button>
        </div>
      ) : null}
      {planning ? <AppointmentSeriesDialog course={course} onClose={() => setPlanning(false)} /> : null}
      <h4>History</h4>
      <div class="table-wrap">
        <table class="table table--dense">
          <caption class="visually-hidden">State changes of this course, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Change</th>
              <th scope="col">Reason</th>
              <th scope="col">When and who</th>
            </tr>
          </thead>
          <tbody>
            {course.transitions.map((t) => (
              <tr key={t.sequence}>
                <td>{t.sequence}</td>
                <td>
                  {t.from ? `${stateLabel(t.from)} → ` : ''}
                  {stateLabel(t.to)} (protocol v{t.protocol_version})
                </td>
                <td>{t.reason}</td>
                <td>
                  {dateTime(t.at)} by {t.by}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </article>
  );
}

export function CoursePanel({ patientId, protocols, defaultProtocol, canPlan, canSchedule, refreshKey, onChanged }: {
  patientId: string;
  protocols: ProtocolSummary[];
  defaultProtocol: string;
  canPlan: boolean;
  canSchedule: boolean;
  refreshKey: number;
  onChanged: () => void;
}) {
  const [courses, setCourses] = useState<TreatmentCourse[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    listCourses(patientId).then(
      (list) => {
        setCourses(list);
        setError(null);
      },
      (e) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [patientId, refreshKey]);

  return (
    <section class="card card--wide" aria-labelledby="courses-title">
      <div class="section-header">
        <h2 id="courses-title">Treatment courses</h2>
        {canPlan && !opening ? (
          <button type="button" class="button" onClick={() => { setOpening(true); setNotice(null); }}>
            Open course
          </button>
        ) : null}
      </div>
      {notice ? <Notice message={notice} /> : null}
      {error ? <ErrorAlert message={error} /> : null}
      {opening ? (
        <OpenCourseForm
          patientId={patientId}
          protocols={protocols}
          defaultProtocol={defaultProtocol}
          onCancel={() => setOpening(false)}
          onOpened={(c) => {
            setOpening(false);
            setNotice(`Course opened for ${c.protocol_title} in ${stateLabel(c.state).toLowerCase()}.`);
            onChanged();
          }}
        />
      ) : null}
      {!courses && !error ? <Loading what="treatment courses" /> : null}
      {courses && courses.length === 0 && !opening ? <p class="muted">No treatment course opened.</p> : null}
      {courses?.map((c) => (
        <CourseView
          key={String(c.id)}
          course={c}
          canPlan={canPlan}
          canSchedule={canSchedule}
          onMoved={(moved) => {
            // Show the answer at once; the refresh that follows updates the other panels.
            setCourses((list) => list?.map((old) => (String(old.id) === String(moved.id) ? moved : old)) ?? list);
            onChanged();
          }}
        />
      ))}
    </section>
  );
}
