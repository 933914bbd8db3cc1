// Unassigned vitals (monitor.read): readings from monitors that no session has taken (a monitor
// not bound to a chair, or a chair with no session), oldest first, page by page. Staff who
// record on sessions (session.record) select rows and assign them to one of today's open
// sessions, or discard them with a required reason; nothing is deleted, the queue only records
// where each reading went.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { assignReadings, discardReadings, listUnassigned, type QueuePage } from '../api/monitor';
import { listDay } from '../api/sessions';
import { useSession } from '../auth/SessionContext';
import { hasPermission } from '../auth/permissions';
import { SelectField, TextAreaField } from '../components/Field';
import { Pager } from '../components/Pager';
import { ApiErrorView, ErrorAlert, Loading, Notice } from '../components/Status';
import { dateTime } from '../lib/format';
import { useCursorPages } from '../lib/useCursorPages';
import { useTitle } from '../lib/useTitle';
import { href } from '../router';
import { assignableSessions, deviceOf, keepSelected, queuedValue, toggled } from './queueLogic';
import './monitor.css';

const PAGE_SIZE = 50;

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function AssignForm({ selected, onDone }: { selected: number[]; onDone: (message: string) => void }) {
  const [sessions, setSessions] = useState<{ value: string; label: string }[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [sessionId, setSessionId] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    listDay('')
      .then((day) => setSessions(assignableSessions(day.items)))
      .catch((e: unknown) => setLoadError(`Today's sessions could not be loaded: ${messageOf(e)}`));
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    if (selected.length === 0) {
      setFailure('Select the readings to assign first.');
      return;
    }
    if (!sessionId) {
      setError('Choose the session these readings belong to.');
      document.getElementById('f-assign-session')?.focus();
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      const result = await assignReadings(selected, Number(sessionId));
      onDone(`${result.assigned} ${result.assigned === 1 ? 'reading' : 'readings'} assigned to session #${sessionId}.`);
      setSessionId('');
    } catch (e: unknown) {
      if (e instanceof ApiError && e.field === 'session_id') setError(e.message);
      else setFailure(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card queue-action" onSubmit={submit} noValidate aria-labelledby="assign-title">
      <h2 id="assign-title">Assign to a session</h2>
      {loadError ? <ErrorAlert message={loadError} /> : null}
      {failure ? <ErrorAlert message={failure} /> : null}
      {!sessions && !loadError ? (
        <Loading what="today's sessions" />
      ) : (
        <SelectField
          id="f-assign-session"
          label="Today's session"
          required
          value={sessionId}
          onValue={setSessionId}
          options={sessions ?? []}
          placeholder={sessions?.length ? 'Choose…' : 'No open session today'}
          error={error}
        />
      )}
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          Assign {selected.length || ''} selected
        </button>
      </div>
    </form>
  );
}

function DiscardForm({ selected, onDone }: { selected: number[]; onDone: (message: string) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    if (selected.length === 0) {
      setFailure('Select the readings to discard first.');
      return;
    }
    if (!reason.trim()) {
      setError('Enter why these readings are discarded.');
      document.getElementById('f-discard-reason')?.focus();
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      const result = await discardReadings(selected, reason.trim());
      onDone(`${result.discarded} ${result.discarded === 1 ? 'reading' : 'readings'} discarded.`);
      setReason('');
    } catch (e: unknown) {
      if (e instanceof ApiError && e.field === 'reason') setError(e.message);
      else setFailure(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card queue-action" onSubmit={submit} noValidate aria-labelledby="discard-title">
      <h2 id="discard-title">Discard</h2>
      {failure ? <ErrorAlert message={failure} /> : null}
      <TextAreaField
        id="f-discard-reason"
        label="Reason"
        required
        rows={2}
        maxLength={2000}
        value={reason}
        onValue={setReason}
        hint="For example: monitor test before the patient arrived."
        error={error}
      />
      <div class="form-actions">
        <button type="submit" class="button button--secondary" disabled={busy}>
          Discard {selected.length || ''} selected
        </button>
      </div>
    </form>
  );
}

export function UnassignedVitalsPage() {
  useTitle('Unassigned vitals');
  const { session } = useSession();
  const canRecord = hasPermission(session.permissions, 'session.record');
  const pages = useCursorPages();
  const [page, setPage] = useState<QueuePage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  const load = useCallback(() => {
    listUnassigned(pages.cursor, PAGE_SIZE)
      .then((p) => {
        setPage(p);
        setError(null);
        setSelected((s) => keepSelected(s, p.items));
      })
      .catch((e: unknown) => setError(e));
  }, [pages.cursor]);

  useEffect(load, [load, reload]);

  const done = (message: string) => {
    setNotice(message);
    setSelected(new Set());
    pages.reset();
    setReload((n) => n + 1);
  };

  const rows = page?.items ?? [];
  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.id));

  return (
    <section aria-labelledby="unassigned-title">
      <p class="breadcrumb">
        <a href={href({ name: 'chairs' })}>Chairs</a>
      </p>
      <h1 id="unassigned-title" tabIndex={-1}>
        Unassigned vitals
      </h1>
      <p>Readings from monitors that no session has taken, oldest first. Values are exactly as the monitor sent them.</p>
      {notice ? <Notice message={notice} /> : null}
      {error ? (
        <ApiErrorView error={error} what="Unassigned vitals" />
      ) : !page ? (
        <Loading what="unassigned vitals" />
      ) : rows.length === 0 ? (
        <p role="status">No unassigned readings.</p>
      ) : (
        <>
          <div class="table-wrap">
            <table class="table table--dense queue-table">
              <caption class="visually-hidden">Unassigned readings, page {pages.pageNumber}</caption>
              <thead>
                <tr>
                  {canRecord ? (
                    <th scope="col">
                      <label class="checkbox" for="queue-select-all">
                        <input
                          type="checkbox"
                          id="queue-select-all"
                          checked={allOnPage}
                          onChange={(e) => {
                            const on = (e.currentTarget as HTMLInputElement).checked;
                            setSelected(on ? new Set(rows.map((r) => r.id)) : new Set());
                          }}
                        />
                        <span class="visually-hidden">Select all on this page</span>
                      </label>
                    </th>
                  ) : null}
                  <th scope="col">Reading</th>
                  <th scope="col">Monitor</th>
                  <th scope="col">Vital</th>
                  <th scope="col">Value</th>
                  <th scope="col">Observed</th>
                  <th scope="col">Received</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((o) => (
                  <tr key={o.id} data-observation={o.id} class={selected.has(o.id) ? 'row--selected' : undefined}>
                    {canRecord ? (
                      <td>
                        <label class="checkbox" for={`queue-select-${o.id}`}>
                          <input
                            type="checkbox"
                            id={`queue-select-${o.id}`}
                            checked={selected.has(o.id)}
                            onChange={(e) => setSelected((s) => toggled(s, o.id, (e.currentTarget as HTMLInputElement).checked))}
                          />
                          <span class="visually-hidden">Select reading {o.id}</span>
                        </label>
                      </td>
                    ) : null}
                    <td>{o.id}</td>
                    <td class="mono">{deviceOf(o)}</td>
                    <td>
                      {o.code_name || o.code}
                      {o.loinc ? <span class="hint"> LOINC {o.loinc}</span> : null}
                    </td>
                    <td class="numeric">{queuedValue(o)}</td>
                    <td>{dateTime(o.observed_at)}</td>
                    <td>{dateTime(o.received_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager pages={pages} nextCursor={page.next_cursor} label="Unassigned vitals" />
          {canRecord ? (
            <>
              <p role="status" class="queue-selection">
                {selected.size} {selected.size === 1 ? 'reading' : 'readings'} selected
              </p>
              <div class="queue-actions">
                <AssignForm selected={[...selected]} onDone={done} />
                <DiscardForm selected={[...selected]} onDone={done} />
              </div>
            </>
          ) : (
            <p class="hint">Assigning or discarding readings needs the permission to record on sessions.</p>
          )}
        </>
      )}
    </section>
  );
}
