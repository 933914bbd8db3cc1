// The session note: the summary the server assembles from the timeline, the prescriber's
// fields (drafts saved with the version read, so a concurrent edit is refused), signing
// (refusals shown verbatim, the open field marked), the read-only signed note, and addenda.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { addAddendum, getNote, saveNote, signNote, type NoteFields, type SessionNote } from '../api/sessions';
import { TextAreaField } from '../components/Field';
import { ApiErrorView, ErrorAlert, Loading, Notice } from '../components/Status';
import { dateTime } from '../lib/format';
import { noteFieldErrors, NOTE_FIELDS, notesDiffer } from './noteLogic';
import { eventLabel } from './sessionLogic';
import { useServerForm } from './useServerForm';

function Summary({ note }: { note: SessionNote }) {
  const s = note.summary;
  const vitals = Object.entries(s.vitals);
  return (
    <section class="card" aria-labelledby="note-summary-title">
      <h3 id="note-summary-title">Summary</h3>
      <dl class="details">
        <dt>Protocol</dt>
        <dd>{s.protocol}</dd>
        <dt>Chair</dt>
        <dd>{s.chair}</dd>
        <dt>Checked in</dt>
        <dd>{dateTime(s.checked_in_at)}</dd>
        {s.dose_order ? (
          <>
            <dt>Dose</dt>
            <dd>
              {s.dose_order.dose_mg} mg
              {s.dose_order.dose_mg_per_kg !== undefined ? ` (${s.dose_order.dose_mg_per_kg} mg/kg, ${s.dose_order.weight_kg} kg)` : ''}
            </dd>
          </>
        ) : null}
        {s.started_at ? (
          <>
            <dt>Started</dt>
            <dd>{dateTime(s.started_at)}</dd>
          </>
        ) : null}
        {s.stopped_at ? (
          <>
            <dt>Stopped</dt>
            <dd>
              {dateTime(s.stopped_at)}
              {s.completed === false ? ' (not completed)' : ''}
            </dd>
          </>
        ) : null}
        {vitals.length ? (
          <>
            <dt>Vitals</dt>
            <dd>
              {vitals.map(([key, r]) => `${key.replace(/_/g, ' ')} ${r.min}–${r.max} (${r.count})`).join('; ')}
            </dd>
          </>
        ) : null}
        {s.scores.length ? (
          <>
            <dt>Scores</dt>
            <dd>
              {s.scores
                .map((sc) => `${eventLabel({ kind: 'score', data: { instrument: sc.instrument }, sequence: 0, occurred_at: sc.at, recorded_at: '', recorded_by: '' })} ${sc.total ?? '—'}`)
                .join('; ')}
            </dd>
          </>
        ) : null}
        {s.pauses.length ? (
          <>
            <dt>Pauses</dt>
            <dd>{s.pauses.map((p) => `${dateTime(p.at)}: ${p.reason}`).join('; ')}</dd>
          </>
        ) : null}
        {s.rescue_medications.length ? (
          <>
            <dt>Rescue medication</dt>
            <dd>{s.rescue_medications.map((r) => `${r.medication} ${r.dose} ${r.unit} (${r.reason})`).join('; ')}</dd>
          </>
        ) : null}
        {s.adverse_events.length ? (
          <>
            <dt>Adverse events</dt>
            <dd>{s.adverse_events.map((a) => `${a.severity}: ${a.description}; ${a.action}; ${a.outcome}`).join('; ')}</dd>
          </>
        ) : null}
        {s.discharged_at ? (
          <>
            <dt>Discharged</dt>
            <dd>
              {dateTime(s.discharged_at)} with {s.escort || 'no escort named'}
            </dd>
          </>
        ) : null}
        {s.cancelled ? (
          <>
            <dt>Cancelled</dt>
            <dd>
              {dateTime(s.cancelled.at)}: {s.cancelled.reason}
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

function NoteForm({ note, onNote }: { note: SessionNote; onNote: (n: SessionNote) => void }) {
  const [fields, setFields] = useState<NoteFields>(note.fields);
  const [saved, setSaved] = useState<string | null>(null);
  const form = useServerForm(['version', ...NOTE_FIELDS.map((f) => `fields.${f.key}`)]);
  const [signError, setSignError] = useState<{ message: string; field: string | null } | null>(null);
  const dirty = notesDiffer(fields, note.fields);
  const required = new Set(note.required_fields);

  const save = (e: Event) => {
    e.preventDefault();
    setSaved(null);
    setSignError(null);
    void form.submit({ body: fields, errors: {} }, (f) => saveNote(String(note.session_id), f, note.version), (n) => {
      onNote(n);
      setSaved(`Draft saved (version ${n.version}).`);
    });
  };

  const sign = async () => {
    setSaved(null);
    setSignError(null);
    form.clear();
    let current = note;
    try {
      if (dirty || current.version === 0) {
        current = await saveNote(String(note.session_id), fields, note.version);
        onNote(current);
      }
      onNote(await signNote(String(note.session_id), current.version));
    } catch (error: unknown) {
      const e = error as { message?: string; field?: string };
      setSignError({ message: e.message ?? String(error), field: e.field ?? null });
    }
  };

  const errors = { ...noteFieldErrors(signError?.field ?? null, note.open_required_fields), ...form.errors };
  return (
    <form onSubmit={save} noValidate aria-label="Session note">
      {form.message ? <ErrorAlert message={form.message} /> : null}
      {signError ? <ErrorAlert message={signError.message} /> : null}
      {saved ? <Notice message={saved} /> : null}
      {NOTE_FIELDS.map((f) => (
        <TextAreaField
          key={f.key}
          id={`note-${f.key}`}
          label={f.label}
          required={required.has(f.key)}
          value={fields[f.key]}
          onValue={(v) => setFields({ ...fields, [f.key]: v })}
          error={errors[`fields.${f.key}`]}
          maxLength={20000}
          rows={3}
        />
      ))}
      <p class="hint">
        {note.version ? `Version ${note.version}, saved by ${note.saved_by} on ${dateTime(note.saved_at)}.` : 'Not saved yet.'}
        {dirty ? ' Unsaved changes: signing saves them first.' : ''}
      </p>
      <div class="form-actions">
        <button type="submit" class="button button--secondary" disabled={form.busy}>
          Save draft
        </button>
        <button type="button" class="button" disabled={form.busy} onClick={() => void sign()}>
          Sign note
        </button>
      </div>
    </form>
  );
}

function AddendumForm({ note, onNote }: { note: SessionNote; onNote: (n: SessionNote) => void }) {
  const [text, setText] = useState('');
  const form = useServerForm(['text']);
  const submit = (e: Event) => {
    e.preventDefault();
    const errors: Record<string, string> = text.trim() ? {} : { text: 'write the addendum first' };
    void form.submit({ body: Object.keys(errors).length ? null : text.trim(), errors }, (t: string) => addAddendum(String(note.session_id), t), (n: SessionNote) => {
      setText('');
      onNote(n);
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Add addendum">
      {form.message ? <ErrorAlert message={form.message} /> : null}
      <TextAreaField id="addendum-text" label="Addendum" required value={text} onValue={setText} error={form.errors.text} maxLength={20000} rows={3} hint="Signed with your name when added; it cannot be changed afterwards." />
      <div class="form-actions">
        <button type="submit" class="button" disabled={form.busy}>
          Add addendum
        </button>
      </div>
    </form>
  );
}

export function NotePanel({ sessionId, canSign, canRecord }: { sessionId: string; canSign: boolean; canRecord: boolean }) {
  const [note, setNote] = useState<SessionNote | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let current = true;
    getNote(sessionId)
      .then((n) => current && setNote(n))
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [sessionId]);

  if (error) return <ApiErrorView error={error} what="Note" />;
  if (!note) return <Loading what="the note" />;
  return (
    <div>
      <Summary note={note} />
      <section class="card" aria-labelledby="note-fields-title">
        <h3 id="note-fields-title">Prescriber's note</h3>
        {note.signed ? (
          <>
            <p class="alert alert--info" role="status">
              Signed by {note.signed.by} on {dateTime(note.signed.at)} (version {note.signed.version}). The note is locked; corrections are addenda.
            </p>
            <dl class="details" aria-label="Signed note">
              {NOTE_FIELDS.map((f) => (
                <Fragment key={f.key}>
                  <dt>{f.label}</dt>
                  <dd class="note-text">{note.fields[f.key] || '—'}</dd>
                </Fragment>
              ))}
            </dl>
          </>
        ) : canSign ? (
          <NoteForm note={note} onNote={setNote} />
        ) : (
          <>
            <p>The prescriber writes and signs the note. {note.version ? `Draft version ${note.version}.` : 'No draft yet.'}</p>
            {note.open_required_fields.length ? <p class="hint">Still open: {note.open_required_fields.join(', ')}.</p> : null}
          </>
        )}
      </section>
      <section class="card" aria-labelledby="addenda-title">
        <h3 id="addenda-title">Addenda</h3>
        {note.addenda.length ? (
          <ul class="addenda" aria-label="Addenda">
            {note.addenda.map((a) => (
              <li key={a.id}>
                <p class="note-text">{a.text}</p>
                <p class="hint">
                  Signed by {a.signed_by} on {dateTime(a.signed_at)}
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <p>No addenda.</p>
        )}
        {canRecord && note.signed ? <AddendumForm note={note} onNote={setNote} /> : null}
        {canRecord && !note.signed ? <p class="hint">Addenda are added once the note is signed.</p> : null}
      </section>
    </div>
  );
}
