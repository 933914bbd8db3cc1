// Consent on the patient chart: the patient's consents with their status and the server's
// status message; "Record consent" opens a dialog with the protocol's latest consent
// document to read, the typed name, a drawn signature, the signing date and a witness;
// a consent is revoked with a reason (a new row; nothing is deleted).
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { getConsent, listConsentDocuments, listConsents, recordConsent, revokeConsent } from '../api/course';
import type { Consent, ConsentDocument, ProtocolSummary } from '../api/types';
import { ErrorSummary } from '../components/ErrorSummary';
import { fieldId, TextAreaField, TextField } from '../components/Field';
import { ErrorAlert, Loading, Notice } from '../components/Status';
import { dateTime } from '../lib/format';
import { todayIso } from '../lib/validation';
import { consentRequest, validateConsentForm, type ConsentFormValues } from './consentForm';
import { SignaturePad, type SignaturePadHandle } from './SignaturePad';

const LABELS: Record<string, string> = {
  'consent-signed_name': 'Name of the person signing',
  'consent-signature_png': 'Signature',
  'consent-signed_on': 'Signed on',
  'consent-witness_name': 'Witness',
};

function ConsentDialog({ patientId, document: doc, onClose, onRecorded }: {
  patientId: string;
  document: ConsentDocument;
  onClose: () => void;
  onRecorded: (consent: Consent) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const pad = useRef<SignaturePadHandle>(null);
  const [values, setValues] = useState<ConsentFormValues>({ signed_name: '', signed_on: todayIso(), witness_name: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof ConsentFormValues) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const empty = pad.current?.isEmpty() ?? true;
    const found = Object.fromEntries(
      Object.entries(validateConsentForm(values, empty, todayIso())).map(([k, v]) => [`consent-${k}`, v]),
    );
    setErrors(found);
    setMessage(null);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const consent = await recordConsent(patientId, consentRequest(doc.id, values, pad.current!.toDataUrl()));
      onRecorded(consent);
      dialog.current?.close();
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      if (e instanceof ApiError && e.field && LABELS[`consent-${e.field}`]) {
        setErrors({ [`consent-${e.field}`]: text });
        setMessage('The consent was not recorded. Please correct the following:');
      } else {
        setMessage(`The consent was not recorded: ${text}`);
      }
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} class="dialog dialog--wide" aria-labelledby="consent-dialog-title" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <h2 id="consent-dialog-title">Record consent</h2>
        <ErrorSummary errors={errors} message={message} attempt={attempt} labels={LABELS} />
        <section class="consent-document" aria-labelledby="consent-document-title">
          <h3 id="consent-document-title">
            {doc.title} (version {doc.version})
          </h3>
          <p class="muted">
            Valid for {doc.valid_for_days} days{doc.requires_reconsent ? '; a new version of this document needs the patient’s consent again' : ''}.
          </p>
          <div class="consent-document__body" tabIndex={0} role="document" aria-label={`Text of ${doc.title}`}>
            {doc.body}
          </div>
        </section>
        <TextField
          id={fieldId('consent-signed_name')}
          label={LABELS['consent-signed_name']!}
          required
          autoComplete="off"
          value={values.signed_name}
          onValue={set('signed_name')}
          error={errors['consent-signed_name']}
        />
        <SignaturePad
          id={fieldId('consent-signature_png')}
          label="Signature"
          handle={pad}
          error={errors['consent-signature_png']}
          onInk={(ink) => {
            if (ink && errors['consent-signature_png']) {
              setErrors((old) => {
                const { ['consent-signature_png']: _removed, ...rest } = old;
                return rest;
              });
            }
          }}
        />
        <div class="grid grid--compact">
          <TextField
            id={fieldId('consent-signed_on')}
            label="Signed on"
            type="date"
            required
            value={values.signed_on}
            onValue={set('signed_on')}
            error={errors['consent-signed_on']}
          />
          <TextField
            id={fieldId('consent-witness_name')}
            label="Witness"
            required
            hint="The staff member who saw the patient sign."
            value={values.witness_name}
            onValue={set('witness_name')}
            error={errors['consent-witness_name']}
          />
        </div>
        <div class="form-actions">
          <button type="submit" class="button" disabled={busy}>
            {busy ? 'Saving…' : 'Record signed consent'}
          </button>
          <button type="button" class="button button--secondary" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

function RevokeForm({ consent, onRevoked }: { consent: Consent; onRevoked: (c: Consent) => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = fieldId(`revoke-${consent.id}`);
  if (!open) {
    return (
      <button type="button" class="button button--secondary button--small" onClick={() => setOpen(true)}>
        Revoke consent {consent.title} v{consent.document_version}
      </button>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    setMessage(null);
    if (!reason.trim()) {
      setError('Say why the consent is revoked.');
      document.getElementById(id)?.focus();
      return;
    }
    setError(null);
    setBusy(true);
    try {
      onRevoked(await revokeConsent(consent.id, reason.trim()));
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      if (e instanceof ApiError && e.field === 'reason') setError(text);
      else setMessage(text);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate aria-label={`Revoke consent ${consent.id}`} class="revoke-form">
      {message ? <ErrorAlert message={message} /> : null}
      <TextAreaField id={id} label="Reason for revoking" required value={reason} onValue={setReason} error={error ?? undefined} rows={2} />
      <div class="form-actions">
        <button type="submit" class="button button--danger" disabled={busy}>
          Revoke consent
        </button>
        <button type="button" class="button button--secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The signed image, fetched on request (lists leave it out). */
function SignatureView({ consent }: { consent: Consent }) {
  const [png, setPng] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const toggle = () => {
    setOpen(!open);
    if (!open && !png) {
      getConsent(consent.id).then(
        (c) => setPng(c.signature_png ?? null),
        (e) => setError(e instanceof Error ? e.message : String(e)),
      );
    }
  };
  return (
    <div class="signature-view">
      <button type="button" class="button button--secondary button--small" aria-expanded={open} onClick={toggle}>
        {open ? 'Hide signature' : 'Show signature'}
        <span class="visually-hidden"> of {consent.signed_name}</span>
      </button>
      {open && error ? <ErrorAlert message={error} /> : null}
      {open && png ? <img class="signature-view__image" src={png} alt={`Signature of ${consent.signed_name}, signed on ${consent.signed_on}`} /> : null}
      {open && !png && !error ? <Loading what="signature" /> : null}
    </div>
  );
}

const STATUS_BADGE: Record<string, string> = {
  valid: 'badge badge--ok',
  expired: 'badge badge--warning',
  revoked: 'badge badge--danger',
  superseded: 'badge badge--muted',
};

export function ConsentPanel({ patientId, protocol, canRecord, refreshKey, onChanged }: {
  patientId: string;
  protocol: ProtocolSummary | null;
  canRecord: boolean;
  refreshKey: number;
  onChanged: () => void;
}) {
  const [consents, setConsents] = useState<Consent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [dialogDoc, setDialogDoc] = useState<ConsentDocument | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    listConsents(patientId).then(
      (list) => {
        setConsents(list);
        setError(null);
      },
      (e) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [patientId, refreshKey]);

  const openDialog = async () => {
    if (!protocol) return;
    setBusy(true);
    setActionError(null);
    setNotice(null);
    try {
      const docs = await listConsentDocuments(protocol.id);
      const latest = docs.filter((d) => d.protocol_id === protocol.id).sort((a, b) => b.version - a.version)[0];
      if (latest) setDialogDoc(latest);
      else setActionError(`No consent document has been published for ${protocol.title}. An administrator publishes one under Consent documents.`);
    } catch (e) {
      setActionError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card card--wide" aria-labelledby="consent-title">
      <div class="section-header">
        <h2 id="consent-title">Consent</h2>
        {canRecord && protocol ? (
          <button type="button" class="button" onClick={() => void openDialog()} disabled={busy}>
            Record consent for {protocol.title}
          </button>
        ) : null}
      </div>
      {canRecord && !protocol ? <p class="muted">Choose a protocol under Eligibility to record its consent.</p> : null}
      {actionError ? <ErrorAlert message={actionError} /> : null}
      {notice ? <Notice message={notice} /> : null}
      {error ? <ErrorAlert message={error} /> : null}
      {!consents && !error ? <Loading what="consents" /> : null}
      {consents && consents.length === 0 ? <p class="muted">No consent recorded.</p> : null}
      {consents && consents.length > 0 ? (
        <ul class="consents">
          {consents.map((c) => (
            <li key={String(c.id)} class="consent">
              <p>
                <strong>
                  {c.title} v{c.document_version}
                </strong>{' '}
                <span class={STATUS_BADGE[c.status] ?? 'badge'}>{c.status}</span>
              </p>
              <p class="consent__status">{c.status_message}</p>
              <p class="muted">
                Signed by {c.signed_name} on {c.signed_on}
                {c.expires_on ? `, expires ${c.expires_on}` : ''}
                {c.witness_name ? `, witnessed by ${c.witness_name}` : ''}; recorded {dateTime(c.recorded_at)} by {c.recorded_by}.
              </p>
              <SignatureView consent={c} />
              {c.revoked ? (
                <p>
                  Revoked {dateTime(c.revoked.at)} by {c.revoked.by}: {c.revoked.reason}
                </p>
              ) : canRecord && c.status === 'valid' ? (
                <RevokeForm
                  consent={c}
                  onRevoked={() => {
                    setNotice('Consent revoked.');
                    onChanged();
                  }}
                />
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {dialogDoc ? (
        <ConsentDialog
          patientId={patientId}
          document={dialogDoc}
          onClose={() => setDialogDoc(null)}
          onRecorded={(c) => {
            setNotice(`Consent recorded: ${c.status_message || c.status}.`);
            onChanged();
          }}
        />
      ) : null}
    </section>
  );
}
