// The session page's "REMS form" tab (esketamine sessions): the patient's REMS enrolment (and
// recording it), the Patient Monitoring Form pre-filled by the server with what each value came
// from, the deadline (session date + the protocol's pmf_deadline) with days left, the printable
// PDF, submitting the form after discharge, the submission history, and corrections: a new
// submission naming the one it amends, with a reason. Nothing submitted is edited in place.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import {
  getRemsEnrolment,
  getRemsForm,
  recordRemsEnrolment,
  remsFormPdfUrl,
  submitRemsForm,
  type RemsEnrolment,
  type RemsForm,
  type RemsFormField,
} from '../api/rems';
import type { DosingSession } from '../api/sessions';
import { TextAreaField, TextField } from '../components/Field';
import { ApiErrorView, ErrorAlert, Loading, Notice } from '../components/Status';
import { dateTime } from '../lib/format';
import { placeError, type FormErrors } from '../sessions/sessionLogic';
import {
  answerLabel,
  daysLeft,
  deadlineLabel,
  deadlineTone,
  fieldKind,
  initialValues,
  latestSubmission,
  localDate,
  placeRemsError,
  submissionBody,
  utcDate,
  type RemsValues,
} from './remsLogic';
import './rems.css';

function EnrolmentForm({ patientId, onSaved }: { patientId: number; onSaved: (e: RemsEnrolment) => void }) {
  const [remsId, setRemsId] = useState('');
  const [effectiveOn, setEffectiveOn] = useState(() => localDate(Date.now()));
  const [errors, setErrors] = useState<FormErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setMessage(null);
    const found: FormErrors = {};
    if (!remsId.trim()) found.rems_patient_id = 'is required (the REMS patient identifier)';
    if (!effectiveOn) found.effective_on = 'is required';
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      onSaved(await recordRemsEnrolment(patientId, { status: 'enrolled', rems_patient_id: remsId.trim(), effective_on: effectiveOn }));
    } catch (error: unknown) {
      const placed = placeError(error, ['rems_patient_id', 'effective_on']);
      setErrors(placed.fieldErrors);
      setMessage(placed.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label="Record REMS enrolment">
      {message ? <ErrorAlert message={message} /> : null}
      <TextField id="rems-enrol-id" label="REMS patient ID" required value={remsId} onValue={setRemsId} error={errors.rems_patient_id} maxLength={60} />
      <TextField id="rems-enrol-on" label="Enrolled on" type="date" required value={effectiveOn} onValue={setEffectiveOn} error={errors.effective_on} />
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          Record enrolment
        </button>
      </div>
    </form>
  );
}

function EnrolmentCard({ patientId, canRecord }: { patientId: number; canRecord: boolean }) {
  const [enrolment, setEnrolment] = useState<RemsEnrolment | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let current = true;
    getRemsEnrolment(patientId)
      .then((e) => current && setEnrolment(e))
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [patientId]);
  const latest = enrolment?.history[0];
  return (
    <section class="card" aria-labelledby="rems-enrolment-title">
      <h3 id="rems-enrolment-title">REMS enrolment</h3>
      {error ? (
        <ApiErrorView error={error} what="REMS enrolment" />
      ) : !enrolment ? (
        <Loading what="the REMS enrolment" />
      ) : (
        <>
          <p class={`alert ${enrolment.enrolled ? 'alert--info' : 'alert--warning'}`} role="status" data-testid="rems-enrolment">
            {enrolment.enrolled && latest
              ? `Enrolled: REMS patient ID ${latest.rems_patient_id}, since ${latest.effective_on} (recorded by ${latest.recorded_by}).`
              : `Not enrolled: ${enrolment.message ?? 'no enrolment recorded'}.`}
          </p>
          {!enrolment.enrolled && canRecord ? <EnrolmentForm patientId={patientId} onSaved={setEnrolment} /> : null}
        </>
      )}
    </section>
  );
}

function YesNo({ field, value, error, hint, onValue }: { field: RemsFormField; value: string; error?: string | undefined; hint: string; onValue: (v: string) => void }) {
  const id = `rems-${field.id}`;
  return (
    <fieldset class={`roles rems-yes-no${error ? ' field--invalid' : ''}`} aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}>
      <legend>
        {field.label}
        <span class="required-mark"> (required)</span>
      </legend>
      <div class="roles__options">
        {(['yes', 'no'] as const).map((option) => (
          <label key={option} class="checkbox" for={`${id}-${option}`}>
            <input
              type="radio"
              id={`${id}-${option}`}
              name={id}
              checked={value === option}
              aria-invalid={error ? 'true' : undefined}
              onChange={() => onValue(option)}
            />
            {option === 'yes' ? 'Yes' : 'No'}
          </label>
        ))}
      </div>
      <p id={`${id}-hint`} class="hint">
        {hint}
      </p>
      {error ? (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

const basisHint = (f: RemsFormField) => (f.basis ? `Pre-filled from ${f.basis}: check it.` : 'Not pre-filled: answer it.');

function FormEditor({ sessionId, form, amendsId, onSubmitted, onCancel }: {
  sessionId: string;
  form: RemsForm;
  amendsId: number | null;
  onSubmitted: (f: RemsForm) => void;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState<RemsValues>(() => initialValues(form));
  const [submittedOn, setSubmittedOn] = useState(() => localDate(Date.now()));
  const [confirmation, setConfirmation] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = form.fields.map((f) => f.id);
  const correcting = amendsId !== null;

  const submit = async (e: Event) => {
    e.preventDefault();
    setMessage(null);
    const built = submissionBody(form.fields, values, { submitted_on: submittedOn, confirmation, reason }, amendsId);
    setErrors(built.errors);
    if (!built.body) return;
    setBusy(true);
    try {
      onSubmitted(await submitRemsForm(sessionId, built.body));
    } catch (error: unknown) {
      const placed = placeRemsError(error, ids);
      setErrors(placed.fieldErrors);
      setMessage(placed.message);
    } finally {
      setBusy(false);
    }
  };
  const set = (id: string) => (v: string) => setValues({ ...values, [id]: v });

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={correcting ? 'Correct the monitoring form' : 'Patient Monitoring Form'}>
      {message ? <ErrorAlert message={message} /> : null}
      {correcting ? (
        <p class="hint">
          A correction is a new submission naming submission #{amendsId}; the earlier one stays on record. It starts from the
          latest answers.
        </p>
      ) : null}
      {form.fields.map((f) => {
        const kind = fieldKind(f);
        const error = errors[`answers.${f.id}`];
        return kind === 'yes_no' ? (
          <YesNo key={f.id} field={f} value={values[f.id] ?? ''} error={error} hint={basisHint(f)} onValue={set(f.id)} />
        ) : (
          <TextField
            key={f.id}
            id={`rems-${f.id}`}
            label={f.label}
            required
            value={values[f.id] ?? ''}
            onValue={set(f.id)}
            error={error}
            hint={kind === 'minutes' ? `${basisHint(f)} Whole minutes.` : basisHint(f)}
            inputMode={kind === 'minutes' ? 'numeric' : 'text'}
            maxLength={200}
          />
        );
      })}
      <fieldset class="roles">
        <legend>Submission to the REMS</legend>
        <TextField id="rems-submitted_on" label="Submitted to the REMS on" type="date" required value={submittedOn} onValue={setSubmittedOn} error={errors.submitted_on} />
        <TextField
          id="rems-confirmation"
          label="REMS confirmation"
          required
          value={confirmation}
          onValue={setConfirmation}
          error={errors.confirmation}
          hint="The confirmation the REMS gave for this form."
          maxLength={100}
        />
        {correcting ? (
          <TextAreaField id="rems-reason" label="Reason for the correction" required value={reason} onValue={setReason} error={errors.reason} maxLength={500} rows={2} />
        ) : null}
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          {correcting ? 'Submit correction' : 'Submit form'}
        </button>
        {onCancel ? (
          <button type="button" class="button button--secondary" onClick={onCancel}>
            Cancel correction
          </button>
        ) : null}
      </div>
    </form>
  );
}

function Answers({ form, answers, label }: { form: RemsForm; answers: Record<string, unknown> | null; label: string }) {
  return (
    <dl class="details rems-answers" aria-label={label}>
      {form.fields.map((f) => {
        const value = answers && f.id in answers ? (answers[f.id] as RemsFormField['value']) : f.value;
        return (
          <Fragment key={f.id}>
            <dt>{f.label}</dt>
            <dd data-field={f.id}>
              {answerLabel(value, fieldKind(f))}
              {!answers ? <span class="hint rems-basis">{f.basis ? ` (from ${f.basis})` : ' (to answer)'}</span> : null}
            </dd>
          </Fragment>
        );
      })}
    </dl>
  );
}

function History({ form }: { form: RemsForm }) {
  if (!form.submissions.length) return <p>Not submitted yet.</p>;
  return (
    <ol class="rems-history" aria-label="Submissions">
      {[...form.submissions].reverse().map((s) => (
        <li key={s.id} data-submission={s.id}>
          <strong>#{s.id}</strong> submitted on {s.submitted_on}, confirmation {s.confirmation}, recorded by {s.recorded_by} on{' '}
          {dateTime(s.recorded_at)}
          {s.amends_id !== null ? (
            <span class="rems-history__correction">
              {' '}
              Corrects #{s.amends_id}: {s.reason || 'no reason recorded'}
            </span>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

export function RemsPanel({ session, canRecord }: { session: DosingSession; canRecord: boolean }) {
  const sessionId = String(session.id);
  const [form, setForm] = useState<RemsForm | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [correcting, setCorrecting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  // Reloaded when the phase changes (discharge fills in the monitoring minutes).
  useEffect(() => {
    let current = true;
    getRemsForm(sessionId)
      .then((f) => current && setForm(f))
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [sessionId, session.phase]);

  if (error) return <ApiErrorView error={error} what="REMS form" />;
  if (!form) return <Loading what="the REMS form" />;

  const latest = latestSubmission(form.submissions);
  const days = daysLeft(form.due_on, utcDate(Date.now()));
  const tone = deadlineTone(form.status, days);
  const discharged = session.phase === 'discharged';
  const onSubmitted = (f: RemsForm) => {
    setForm(f);
    setCorrecting(false);
    const last = latestSubmission(f.submissions);
    setNotice(last ? `Submission #${last.id} recorded (confirmation ${last.confirmation}).` : 'Submitted.');
  };

  return (
    <div>
      <EnrolmentCard patientId={session.patient.id} canRecord={canRecord} />
      <section class="card" aria-labelledby="rems-form-title">
        <h3 id="rems-form-title">Patient Monitoring Form</h3>
        <dl class="details details--inline">
          <dt>Session date</dt>
          <dd>{form.session_date}</dd>
          <dt>Due by</dt>
          <dd>
            {form.due_on} ({form.deadline_days} calendar days)
          </dd>
          <dt>Status</dt>
          <dd>
            <span class={`rems-deadline rems-deadline--${tone}`} data-testid="rems-deadline" data-status={form.status}>
              {deadlineLabel(form.status, days, latest?.submitted_on)}
            </span>
          </dd>
        </dl>
        <p>
          <a class="button button--secondary" href={remsFormPdfUrl(sessionId)} target="_blank" rel="noopener">
            Open printable form (PDF)
          </a>
        </p>
        {notice ? <Notice message={notice} /> : null}
        {!form.dosed ? (
          <p>The form is pre-filled from the session once dosing starts.</p>
        ) : latest ? (
          <>
            <h4>Submitted answers (submission #{latest.id})</h4>
            <Answers form={form} answers={latest.answers} label="Submitted answers" />
            {canRecord && !correcting ? (
              <button type="button" class="button button--secondary" onClick={() => { setNotice(null); setCorrecting(true); }}>
                Submit a correction
              </button>
            ) : null}
            {correcting ? (
              <FormEditor sessionId={sessionId} form={form} amendsId={latest.id} onSubmitted={onSubmitted} onCancel={() => setCorrecting(false)} />
            ) : null}
          </>
        ) : discharged && canRecord ? (
          <FormEditor sessionId={sessionId} form={form} amendsId={null} onSubmitted={onSubmitted} />
        ) : (
          <>
            <p class="hint">
              {discharged ? 'Nurses and prescribers submit the form.' : 'The form is submitted after discharge; these are the values pre-filled so far.'}
            </p>
            <Answers form={form} answers={null} label="Pre-filled answers" />
          </>
        )}
      </section>
      <section class="card" aria-labelledby="rems-history-title">
        <h3 id="rems-history-title">Submission history</h3>
        <History form={form} />
      </section>
    </div>
  );
}
