// Protocols (protocol.admin): the clinic's active protocol versions, one protocol's version
// history, and publishing a new version by editing its JSON. The server's strict loader
// names the JSON path of each problem (e.g. document.eligibility[3].source); it is shown
// next to the editor.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { getProtocol, listProtocols, publishProtocolVersion } from '../api/course';
import type { ProtocolDetail, ProtocolSummary } from '../api/types';
import { ErrorSummary } from '../components/ErrorSummary';
import { fieldId, TextAreaField } from '../components/Field';
import { ApiErrorView, ErrorAlert, Loading, Notice } from '../components/Status';
import { dateTime } from '../lib/format';
import { useTitle } from '../lib/useTitle';
import { UnconfirmedList } from './EligibilityPanel';
import { isDocumentField, nextVersionText, parseProtocolText } from './protocolAdmin';
import './course.css';

const LABELS = { 'protocol-document': 'Protocol document (JSON)', 'protocol-change_reason': 'Reason for the new version' };

function PublishForm({ detail, onPublished }: { detail: ProtocolDetail; onPublished: (d: ProtocolDetail) => void }) {
  const [text, setText] = useState(() => nextVersionText(detail.protocol, detail.version));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const parsed = parseProtocolText(text);
    if (!parsed.ok) found['protocol-document'] = parsed.message;
    if (!reason.trim()) found['protocol-change_reason'] = 'Say why this version is published.';
    setErrors(found);
    setMessage(null);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length || !parsed.ok) return;
    setBusy(true);
    try {
      onPublished(await publishProtocolVersion(String(detail.protocol['id'] ?? ''), parsed.document, reason.trim()));
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (e instanceof ApiError && isDocumentField(e.field)) {
        setErrors({ 'protocol-document': `${e.field}: ${msg}` });
        setMessage('The version was not published. Please correct the following:');
      } else if (e instanceof ApiError && e.field === 'change_reason') {
        setErrors({ 'protocol-change_reason': msg });
        setMessage('The version was not published. Please correct the following:');
      } else {
        setMessage(`The version was not published: ${msg}`);
      }
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="publish-protocol-title">
      <h3 id="publish-protocol-title">Publish version {detail.version + 1}</h3>
      <p class="muted">
        Edit the document below. Its version must be {detail.version + 1}, and every number must name a listed source. Sessions already run keep
        the version they ran under.
      </p>
      <ErrorSummary errors={errors} message={message} attempt={attempt} labels={LABELS} />
      <div class={`field field--wide${errors['protocol-document'] ? ' field--invalid' : ''}`}>
        <label for={fieldId('protocol-document')}>
          Protocol document (JSON) <span class="required-mark">(required)</span>
        </label>
        <textarea
          id={fieldId('protocol-document')}
          class="json-editor"
          spellcheck={false}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          aria-invalid={errors['protocol-document'] ? 'true' : undefined}
          aria-describedby={errors['protocol-document'] ? `${fieldId('protocol-document')}-error` : undefined}
        />
        {errors['protocol-document'] ? (
          <p id={`${fieldId('protocol-document')}-error`} class="field-error">
            {errors['protocol-document']}
          </p>
        ) : null}
      </div>
      <TextAreaField
        id={fieldId('protocol-change_reason')}
        label="Reason for the new version"
        required
        value={reason}
        onValue={setReason}
        error={errors['protocol-change_reason']}
        rows={2}
      />
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          {busy ? 'Publishing…' : `Publish version ${detail.version + 1}`}
        </button>
      </div>
    </form>
  );
}

function ProtocolDetailView({ summary, onPublished }: { summary: ProtocolSummary; onPublished: () => void }) {
  const [detail, setDetail] = useState<ProtocolDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => {
    getProtocol(summary.id).then(setDetail, (e) => setError(e instanceof Error ? e.message : String(e)));
  }, [summary.id]);
  useEffect(load, [load]);

  return (
    <section class="card card--wide" aria-labelledby="protocol-detail-title">
      <h2 id="protocol-detail-title" tabIndex={-1}>
        {summary.title}
      </h2>
      {notice ? <Notice message={notice} /> : null}
      {error ? <ErrorAlert message={error} /> : null}
      {!detail && !error ? <Loading what="protocol" /> : null}
      {detail ? (
        <>
          <dl class="details details--inline">
            <dt>Active version</dt>
            <dd>
              {detail.version} ({detail.origin === 'clinic' ? 'the clinic’s own' : 'shipped with KetaChart'})
            </dd>
            <dt>Digest</dt>
            <dd class="code">{detail.digest}</dd>
          </dl>
          <UnconfirmedList protocol={summary} />
          <h3>Versions</h3>
          <div class="table-wrap">
            <table class="table table--dense">
              <caption class="visually-hidden">Versions of {summary.title}</caption>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Origin</th>
                  <th scope="col">Published</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {detail.versions.map((v) => (
                  <tr key={v.version}>
                    <td>{v.version}</td>
                    <td>{v.origin}</td>
                    <td>{v.created_at ? `${dateTime(v.created_at)}${v.created_by ? ` by ${v.created_by}` : ''}` : '—'}</td>
                    <td>{v.change_reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <PublishForm
            key={detail.version}
            detail={detail}
            onPublished={(published) => {
              setDetail(published);
              setNotice(`Version ${published.version} published; it is now the clinic’s active version.`);
              onPublished();
            }}
          />
        </>
      ) : null}
    </section>
  );
}

export function ProtocolsPage() {
  useTitle('Protocols');
  const [protocols, setProtocols] = useState<ProtocolSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const load = useCallback(() => {
    listProtocols().then(setProtocols, setError);
  }, []);
  useEffect(load, [load]);
  const chosen = protocols?.find((p) => p.id === selected) ?? null;

  return (
    <section aria-labelledby="protocols-title">
      <h1 id="protocols-title" tabIndex={-1}>
        Protocols
      </h1>
      {error ? (
        <ApiErrorView error={error} what="Protocols" />
      ) : !protocols ? (
        <Loading what="protocols" />
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">The clinic’s active protocol versions</caption>
            <thead>
              <tr>
                <th scope="col">Protocol</th>
                <th scope="col">Version</th>
                <th scope="col">Drug and route</th>
                <th scope="col">To confirm</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {protocols.map((p) => (
                <tr key={p.id}>
                  <td>
                    <strong>{p.title}</strong>
                    <br />
                    <span class="code">{p.id}</span>
                  </td>
                  <td>
                    {p.version} ({p.origin})
                  </td>
                  <td>
                    {p.drug}, {p.route}
                  </td>
                  <td>{p.unconfirmed?.length ? `${p.unconfirmed.length} values` : 'none'}</td>
                  <td>
                    <button
                      type="button"
                      class="button button--secondary button--small"
                      aria-pressed={selected === p.id}
                      onClick={() => {
                        setSelected(p.id);
                        setTimeout(() => document.getElementById('protocol-detail-title')?.focus(), 0);
                      }}
                    >
                      Versions<span class="visually-hidden"> of {p.title}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {chosen ? <ProtocolDetailView key={chosen.id} summary={chosen} onPublished={load} /> : null}
    </section>
  );
}
