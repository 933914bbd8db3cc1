// Consent documents (protocol.admin): the latest document per protocol, every version of
// one protocol's document, and publishing a new version (title, body, validity, whether
// patients must consent again, and what changed).
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { listConsentDocuments, listProtocols, publishConsentDocument } from '../api/course';
import type { ConsentDocument, ProtocolSummary } from '../api/types';
import { ErrorSummary } from '../components/ErrorSummary';
import { fieldId, SelectField, TextAreaField, TextField } from '../components/Field';
import { ApiErrorView, ErrorAlert, Loading, Notice } from '../components/Status';
import { dateTime } from '../lib/format';
import { useTitle } from '../lib/useTitle';
import { consentDocumentRequest, validateConsentDocument, type ConsentDocumentFormValues } from './protocolAdmin';
import './course.css';

const LABELS: Record<string, string> = {
  'cd-protocol_id': 'Protocol',
  'cd-title': 'Title',
  'cd-body': 'Text the patient reads',
  'cd-valid_for_days': 'Valid for (days)',
  'cd-requires_reconsent': 'Patients must consent again',
  'cd-change_reason': 'What changed',
};

function PublishConsentForm({ protocols, latest, onPublished }: {
  protocols: ProtocolSummary[];
  latest: ConsentDocument[];
  onPublished: (d: ConsentDocument) => void;
}) {
  const prefill = (protocolId: string): ConsentDocumentFormValues => {
    const doc = latest.find((d) => d.protocol_id === protocolId);
    return {
      protocol_id: protocolId,
      title: doc?.title ?? '',
      body: doc?.body ?? '',
      valid_for_days: doc ? String(doc.valid_for_days) : '365',
      requires_reconsent: doc?.requires_reconsent ?? true,
      change_reason: '',
    };
  };
  const [values, setValues] = useState<ConsentDocumentFormValues>(() => prefill(''));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const set = (key: Exclude<keyof ConsentDocumentFormValues, 'requires_reconsent'>) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = Object.fromEntries(Object.entries(validateConsentDocument(values)).map(([k, v]) => [`cd-${k}`, v]));
    setErrors(found);
    setMessage(null);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const doc = await publishConsentDocument(consentDocumentRequest(values));
      setValues(prefill(''));
      onPublished(doc);
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      if (e instanceof ApiError && e.field && LABELS[`cd-${e.field}`]) {
        setErrors({ [`cd-${e.field}`]: text });
        setMessage('The document was not published. Please correct the following:');
      } else setMessage(`The document was not published: ${text}`);
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };
  const current = latest.find((d) => d.protocol_id === values.protocol_id);

  return (
    <form onSubmit={submit} noValidate aria-labelledby="publish-consent-title" class="card card--wide">
      <h2 id="publish-consent-title">Publish a consent document version</h2>
      <ErrorSummary errors={errors} message={message} attempt={attempt} labels={LABELS} />
      <SelectField
        id={fieldId('cd-protocol_id')}
        label="Protocol"
        required
        value={values.protocol_id}
        onValue={(id) => setValues(prefill(id))}
        options={protocols.map((p) => ({ value: p.id, label: p.title }))}
        placeholder="Choose…"
        hint={values.protocol_id ? (current ? `Publishes version ${current.version + 1}; the form starts from version ${current.version}.` : 'Publishes version 1.') : undefined}
        error={errors['cd-protocol_id']}
      />
      <TextField id={fieldId('cd-title')} label="Title" required value={values.title} onValue={set('title')} error={errors['cd-title']} maxLength={300} />
      <TextAreaField id={fieldId('cd-body')} label="Text the patient reads" required value={values.body} onValue={set('body')} error={errors['cd-body']} rows={10} />
      <div class="grid grid--compact">
        <TextField
          id={fieldId('cd-valid_for_days')}
          label="Valid for (days)"
          required
          inputMode="numeric"
          value={values.valid_for_days}
          onValue={set('valid_for_days')}
          error={errors['cd-valid_for_days']}
        />
        <div class={`field${errors['cd-requires_reconsent'] ? ' field--invalid' : ''}`}>
          <label class="checkbox" for={fieldId('cd-requires_reconsent')}>
            <input
              id={fieldId('cd-requires_reconsent')}
              type="checkbox"
              checked={values.requires_reconsent}
              onChange={(e) => setValues((v) => ({ ...v, requires_reconsent: (e.currentTarget as HTMLInputElement).checked }))}
            />
            Patients must consent again to this version
          </label>
          {errors['cd-requires_reconsent'] ? <p class="field-error">{errors['cd-requires_reconsent']}</p> : null}
        </div>
      </div>
      <TextAreaField
        id={fieldId('cd-change_reason')}
        label="What changed"
        required
        value={values.change_reason}
        onValue={set('change_reason')}
        error={errors['cd-change_reason']}
        rows={2}
      />
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          {busy ? 'Publishing…' : 'Publish document'}
        </button>
      </div>
    </form>
  );
}

function VersionsOf({ protocolId, title }: { protocolId: string; title: string }) {
  const [docs, setDocs] = useState<ConsentDocument[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    listConsentDocuments(protocolId, true).then(setDocs, (e) => setError(e instanceof Error ? e.message : String(e)));
  }, [protocolId]);
  if (error) return <ErrorAlert message={error} />;
  if (!docs) return <Loading what="versions" />;
  return (
    <section class="card card--wide" aria-labelledby="cd-versions-title">
      <h2 id="cd-versions-title" tabIndex={-1}>
        Consent document versions: {title}
      </h2>
      <ol class="plain-list">
        {docs.map((d) => (
          <li key={String(d.id)}>
            <details>
              <summary>
                Version {d.version}: {d.title} — {dateTime(d.created_at)} by {d.created_by}
                {d.change_reason ? ` (${d.change_reason})` : ''}
              </summary>
              <p>
                Valid for {d.valid_for_days} days; {d.requires_reconsent ? 'patients must consent again' : 'earlier consents stay valid'}.
              </p>
              <div class="prewrap">{d.body}</div>
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function ConsentDocumentsPage() {
  useTitle('Consent documents');
  const [protocols, setProtocols] = useState<ProtocolSummary[] | null>(null);
  const [latest, setLatest] = useState<ConsentDocument[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);
  const load = useCallback(() => {
    Promise.all([listProtocols(), listConsentDocuments()]).then(([p, d]) => {
      setProtocols(p);
      setLatest(d);
    }, setError);
  }, []);
  useEffect(load, [load]);

  return (
    <section aria-labelledby="consent-documents-title">
      <h1 id="consent-documents-title" tabIndex={-1}>
        Consent documents
      </h1>
      {notice ? <Notice message={notice} /> : null}
      {error ? (
        <ApiErrorView error={error} what="Consent documents" />
      ) : !protocols || !latest ? (
        <Loading what="consent documents" />
      ) : (
        <>
          <div class="table-wrap">
            <table class="table">
              <caption class="visually-hidden">The latest consent document of each protocol</caption>
              <thead>
                <tr>
                  <th scope="col">Protocol</th>
                  <th scope="col">Latest document</th>
                  <th scope="col">Valid for</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {protocols.map((p) => {
                  const doc = latest.find((d) => d.protocol_id === p.id);
                  return (
                    <tr key={p.id}>
                      <td>{p.title}</td>
                      <td>{doc ? `${doc.title} (version ${doc.version})` : <span class="muted">None published</span>}</td>
                      <td>{doc ? `${doc.valid_for_days} days${doc.requires_reconsent ? ', re-consent on change' : ''}` : ''}</td>
                      <td>
                        {doc ? (
                          <button type="button" class="button button--secondary button--small" onClick={() => setViewing(p.id)}>
                            All versions<span class="visually-hidden"> of {p.title}</span>
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {viewing ? (
            <VersionsOf key={viewing} protocolId={viewing} title={protocols.find((p) => p.id === viewing)?.title ?? viewing} />
          ) : null}
          <PublishConsentForm
            protocols={protocols}
            latest={latest}
            onPublished={(d) => {
              setNotice(`${d.title} version ${d.version} published.`);
              load();
            }}
          />
        </>
      )}
    </section>
  );
}
