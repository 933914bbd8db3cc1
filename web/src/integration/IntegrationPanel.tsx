// The chart's Integration section (docs/sessions.md): the care summary prescriber and therapist
// share (courses, the latest 20 dosing sessions with their note status and "Load older
// sessions" for the rest, the latest total of each
// measure, booster signals with their reason), the integration notes newest first (session,
// format, author, signature; a correction names the note it corrects and the corrected note
// says so), and, for integration.write, the form for a signed SOAP or DAP note on one of the
// patient's dosing sessions. A signed note is never edited: "Write a correction" starts a new
// note from it that names it (amends_id). Server field errors appear next to their field.
import { Fragment } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { getCareSummary, getCareSummarySessions, writeIntegrationNote, type CareSummary, type CareSummarySession, type IntegrationNote } from '../api/integration';
import { listInstruments, listMeasures, type Measure } from '../api/measures';
import { fieldId, SelectField, TextAreaField } from '../components/Field';
import { ApiErrorView, ErrorAlert, Loading, Notice } from '../components/Status';
import { dateTime } from '../lib/format';
import { useServerForm } from '../sessions/useServerForm';
import {
  boosterRuleLabel,
  correctionForm,
  correctionsOf,
  emptyNoteForm,
  FORMAT_FIELDS,
  lastEventLabel,
  latestMeasures,
  newestFirst,
  NOTE_FORM_PATHS,
  NOTE_FORMATS,
  noteBody,
  sessionLabel,
  withOlderSessions,
  type NoteFormState,
} from './integrationLogic';

function BoosterSignals({ summary }: { summary: CareSummary }) {
  const signals = summary.booster_signals;
  if (!signals.length) return <p>No booster signal from the patient's measures.</p>;
  return (
    <div class={`alert ${summary.booster_suggested ? 'alert--warning' : 'alert--info'}`} role="status" aria-label="Booster signals">
      <p>
        <strong>{summary.booster_suggested ? 'Booster suggested' : 'Booster signal'}</strong>
        {summary.booster_suggested ? ' (a course is in maintenance)' : ' (a booster is suggested only while a course is in maintenance)'}
      </p>
      <ul>
        {signals.map((s) => (
          <li key={`${s.instrument}-${s.rule}`}>
            {boosterRuleLabel(s.rule)}: {s.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

function LatestMeasures({ patientId }: { patientId: string }) {
  const [rows, setRows] = useState<Measure[] | null>(null);
  const [titles, setTitles] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    Promise.all([listMeasures(patientId, null), listInstruments()]).then(
      ([page, instruments]) => {
        if (!current) return;
        setTitles(new Map(instruments.items.map((i) => [i.instrument, i.title])));
        setRows(latestMeasures(page.items));
      },
      (e: unknown) => current && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      current = false;
    };
  }, [patientId]);
  if (error) return <ErrorAlert message={`The measures could not be loaded: ${error}`} />;
  if (!rows) return <Loading what="the latest measures" />;
  if (!rows.length) return <p>No scored measures yet.</p>;
  return (
    <div class="table-wrap">
      <table class="table table--dense" aria-label="Latest measures">
        <thead>
          <tr>
            <th scope="col">Instrument</th>
            <th scope="col">Total</th>
            <th scope="col">Band</th>
            <th scope="col">Against baseline</th>
            <th scope="col">Administered</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr key={m.instrument}>
              <td>{titles.get(m.instrument) ?? m.instrument}</td>
              <td>{m.total}</td>
              <td>{m.score?.band_display ?? m.band ?? '—'}</td>
              <td>
                {[m.change?.response ? 'response' : '', m.change?.remission ? 'remission' : '', m.change?.reliable_change ?? '']
                  .filter(Boolean)
                  .join(', ') || '—'}
              </td>
              <td>{dateTime(m.administered_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface OlderSessions {
  items: CareSummarySession[];
  next: string | null;
  busy: boolean;
  error: unknown;
}

function SummaryView({ summary, patientId, canReadMeasures, older, onLoadOlder }: {
  summary: CareSummary;
  patientId: string;
  canReadMeasures: boolean;
  older: OlderSessions;
  onLoadOlder: () => void;
}) {
  return (
    <section aria-labelledby="care-summary-title">
      <h3 id="care-summary-title">Care summary</h3>
      <BoosterSignals summary={summary} />
      <p>
        Courses:{' '}
        {summary.courses.length ? summary.courses.map((c) => `${c.protocol_id} (${c.state.replace(/_/g, ' ')})`).join('; ') : 'none'}
      </p>
      <h4>Dosing sessions</h4>
      {summary.sessions.length ? (
        <div class="table-wrap">
          <table class="table table--dense" aria-label="Dosing sessions">
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Checked in</th>
                <th scope="col">Chair</th>
                <th scope="col">State</th>
                <th scope="col">Prescriber's note</th>
                <th scope="col">Integration notes</th>
              </tr>
            </thead>
            <tbody>
              {summary.sessions.map((s) => (
                <tr key={s.id}>
                  <td>
                    <a href={`#/sessions/${s.id}`}>Session {s.id}</a>
                  </td>
                  <td>{dateTime(s.checked_in_at)}</td>
                  <td>{s.chair}</td>
                  <td>{lastEventLabel(s.last_event)}</td>
                  <td>{s.note_signed_at ? `signed ${dateTime(s.note_signed_at)}` : 'not signed'}</td>
                  <td>{s.integration_notes}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>No dosing sessions yet.</p>
      )}
      {older.error ? <ApiErrorView error={older.error} what="Older sessions" /> : null}
      {older.next ? (
        <div class="form-actions">
          <button type="button" class="button button--secondary" disabled={older.busy} onClick={onLoadOlder}>
            Load older sessions
          </button>
        </div>
      ) : null}
      {canReadMeasures ? (
        <>
          <h4>Latest measures</h4>
          <LatestMeasures patientId={patientId} />
        </>
      ) : null}
    </section>
  );
}

function NoteItem({
  note,
  session,
  correctedBy,
  canWrite,
  onCorrect,
}: {
  note: IntegrationNote;
  session: CareSummarySession | undefined;
  correctedBy: number[];
  canWrite: boolean;
  onCorrect: (note: IntegrationNote) => void;
}) {
  const titleId = `integration-note-${note.id}`;
  return (
    <li>
      <article class="integration-note" aria-labelledby={titleId}>
        <h4 id={titleId}>
          Note {note.id}: {note.format.toUpperCase()} on session {note.session_id}
          {session ? ` (${dateTime(session.checked_in_at)})` : ''}
        </h4>
        <p class="hint">
          Signed by {note.signed_by} on {dateTime(note.signed_at)}
          {note.amends_id !== null ? ` · corrects note ${note.amends_id}` : ''}
        </p>
        {correctedBy.length ? (
          <p class="alert alert--info">Corrected by note {correctedBy.join(', ')}; this note is kept as it was signed.</p>
        ) : null}
        <dl class="details">
          {FORMAT_FIELDS[note.format].map((f) => (
            <Fragment key={f.key}>
              <dt>{f.label}</dt>
              <dd class="note-text">{note.fields[f.key] ?? '—'}</dd>
            </Fragment>
          ))}
          <dt>Homework</dt>
          <dd class="note-text">{note.homework || '—'}</dd>
          <dt>Coping plan</dt>
          <dd class="note-text">{note.coping_plan || '—'}</dd>
        </dl>
        {canWrite ? (
          <button type="button" class="button button--secondary" onClick={() => onCorrect(note)}>
            Write a correction to note {note.id}
          </button>
        ) : null}
      </article>
    </li>
  );
}

function NoteForm({
  patientId,
  sessions,
  form,
  setForm,
  onWritten,
}: {
  patientId: string;
  sessions: CareSummarySession[];
  form: NoteFormState;
  setForm: (f: NoteFormState) => void;
  onWritten: (n: IntegrationNote) => void;
}) {
  const server = useServerForm(NOTE_FORM_PATHS);
  const submit = (e: Event) => {
    e.preventDefault();
    void server.submit(noteBody(form), (body) => writeIntegrationNote(patientId, body), onWritten);
  };
  const title = form.amends_id !== null ? `Correct note ${form.amends_id}` : 'Write an integration note';
  return (
    <form onSubmit={submit} noValidate aria-labelledby="integration-form-title" class="integration-form">
      <h3 id="integration-form-title">{title}</h3>
      {form.amends_id !== null ? (
        <p class="hint">
          Note {form.amends_id} stays as it was signed; this correction is a new signed note that names it.{' '}
          <button type="button" class="link-button" onClick={() => setForm(emptyNoteForm(form.session_id))}>
            Write a new note instead
          </button>
        </p>
      ) : null}
      {server.message ? <ErrorAlert message={server.message} /> : null}
      {server.errors.amends_id ? <ErrorAlert message={`Corrected note: ${server.errors.amends_id}`} /> : null}
      <SelectField
        id={fieldId('session_id')}
        label="Dosing session it integrates"
        required
        value={form.session_id}
        onValue={(v) => setForm({ ...form, session_id: v })}
        options={sessions.map((s) => ({ value: String(s.id), label: sessionLabel(s) }))}
        placeholder="Choose a session"
        error={server.errors.session_id}
      />
      <SelectField
        id={fieldId('format')}
        label="Format"
        required
        value={form.format}
        onValue={(v) => setForm({ ...form, format: v === 'dap' ? 'dap' : 'soap' })}
        options={NOTE_FORMATS}
        error={server.errors.format}
      />
      {FORMAT_FIELDS[form.format].map((f) => (
        <TextAreaField
          key={`${form.format}-${f.key}`}
          id={fieldId(`fields.${f.key}`)}
          label={f.label}
          required
          value={form.fields[f.key] ?? ''}
          onValue={(v) => setForm({ ...form, fields: { ...form.fields, [f.key]: v } })}
          error={server.errors[`fields.${f.key}`]}
          maxLength={20000}
          rows={3}
        />
      ))}
      <TextAreaField
        id={fieldId('homework')}
        label="Homework"
        value={form.homework}
        onValue={(v) => setForm({ ...form, homework: v })}
        error={server.errors.homework}
        maxLength={5000}
        rows={2}
      />
      <TextAreaField
        id={fieldId('coping_plan')}
        label="Coping plan"
        value={form.coping_plan}
        onValue={(v) => setForm({ ...form, coping_plan: v })}
        error={server.errors.coping_plan}
        maxLength={5000}
        rows={2}
      />
      <p class="hint">Saving signs the note with your name; it cannot be changed afterwards, only corrected by a new note.</p>
      <div class="form-actions">
        <button type="submit" class="button" disabled={server.busy}>
          {form.amends_id !== null ? 'Sign correction' : 'Sign note'}
        </button>
      </div>
    </form>
  );
}

export function IntegrationPanel({ patientId, canWrite, canReadMeasures }: { patientId: string; canWrite: boolean; canReadMeasures: boolean }) {
  const [summary, setSummary] = useState<CareSummary | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [form, setForm] = useState<NoteFormState>(emptyNoteForm());
  const [notice, setNotice] = useState<string | null>(null);
  const [older, setOlder] = useState<OlderSessions>({ items: [], next: null, busy: false, error: null });
  const load = useCallback(() => {
    getCareSummary(patientId).then((s) => {
      setSummary(s);
      setOlder({ items: [], next: s.sessions_next_cursor, busy: false, error: null });
    }, setError);
  }, [patientId]);
  useEffect(load, [load]);
  const loadOlder = () => {
    if (!older.next) return;
    setOlder({ ...older, busy: true, error: null });
    getCareSummarySessions(patientId, older.next).then(
      (page) => setOlder({ items: [...older.items, ...page.items], next: page.next_cursor, busy: false, error: null }),
      (e: unknown) => setOlder({ ...older, busy: false, error: e }),
    );
  };
  // The summary with the older sessions loaded so far (the table, the notes' sessions, the form).
  const view = summary ? { ...summary, sessions: withOlderSessions(summary.sessions, older.items) } : null;

  const written = (note: IntegrationNote) => {
    setNotice(`Note ${note.id} signed by ${note.signed_by}.`);
    setForm(emptyNoteForm());
    load();
  };
  const correct = (note: IntegrationNote) => {
    setNotice(null);
    setForm(correctionForm(note));
    document.getElementById('integration-form-title')?.scrollIntoView();
  };

  return (
    <section class="card card--wide" aria-labelledby="integration-title">
      <h2 id="integration-title">Integration</h2>
      {error ? (
        <ApiErrorView error={error} what="Care summary" />
      ) : !view ? (
        <Loading what="the care summary" />
      ) : (
        <>
          <SummaryView summary={view} patientId={patientId} canReadMeasures={canReadMeasures} older={older} onLoadOlder={loadOlder} />
          <section aria-labelledby="integration-notes-title">
            <h3 id="integration-notes-title">Integration notes</h3>
            {notice ? <Notice message={notice} /> : null}
            {view.integration_notes.length ? (
              <IntegrationNotes summary={view} canWrite={canWrite} onCorrect={correct} />
            ) : (
              <p>No integration notes yet.</p>
            )}
          </section>
          {canWrite ? (
            view.sessions.length ? (
              <NoteForm patientId={patientId} sessions={view.sessions} form={form} setForm={setForm} onWritten={written} />
            ) : (
              <p class="hint">An integration note is written on a dosing session; this patient has none yet.</p>
            )
          ) : null}
        </>
      )}
    </section>
  );
}

function IntegrationNotes({ summary, canWrite, onCorrect }: { summary: CareSummary; canWrite: boolean; onCorrect: (n: IntegrationNote) => void }) {
  const corrections = correctionsOf(summary.integration_notes);
  const sessions = new Map(summary.sessions.map((s) => [s.id, s]));
  return (
    <ul class="integration-notes" aria-label="Integration notes">
      {newestFirst(summary.integration_notes).map((n) => (
        <NoteItem key={n.id} note={n} session={sessions.get(n.session_id)} correctedBy={corrections.get(n.id) ?? []} canWrite={canWrite} onCorrect={onCorrect} />
      ))}
    </ul>
  );
}
