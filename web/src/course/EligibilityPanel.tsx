// Eligibility on the patient chart: choose a protocol (its unconfirmed values flagged
// "clinic must confirm"), evaluate the latest intake against it, and read the decision
// with its findings grouped hard stops / warnings / info. A prescriber overrides a warning
// with a reason; a refusal's message is shown as the server words it.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { evaluateEligibility, listDecisions, overrideWarning } from '../api/course';
import type { EligibilityDecision, EligibilityFinding, ProtocolSummary } from '../api/types';
import { fieldId, SelectField, TextAreaField } from '../components/Field';
import { ErrorAlert, Loading, Notice } from '../components/Status';
import { dateTime } from '../lib/format';
import { decisionStatus, findingCitation, findingSource, groupFindings, hardStops, outcomeLabel } from './eligibility';

export function UnconfirmedList({ protocol }: { protocol: ProtocolSummary }) {
  if (!protocol.unconfirmed?.length) return null;
  return (
    <div class="alert alert--warning unconfirmed">
      <p>
        <strong>Clinic must confirm</strong> these values of {protocol.title} v{protocol.version} before relying on them:
      </p>
      <ul>
        {protocol.unconfirmed.map((u) => (
          <li key={u.id}>
            {u.label} <span class="code">({u.id})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function OverrideForm({ decision, finding, onDone }: {
  decision: EligibilityDecision;
  finding: EligibilityFinding;
  onDone: (updated: EligibilityDecision) => void;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = fieldId(`override-${decision.id}-${finding.rule_id}`);

  if (!open) {
    return (
      <button type="button" class="button button--secondary button--small" onClick={() => setOpen(true)}>
        Override warning {finding.rule_id}
      </button>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    setMessage(null);
    if (!reason.trim()) {
      setError('Give the clinical reason for overriding this warning.');
      document.getElementById(id)?.focus();
      return;
    }
    setError(null);
    setBusy(true);
    try {
      onDone(await overrideWarning(decision.id, finding.rule_id, reason.trim()));
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      if (e instanceof ApiError && e.field === 'reason') setError(text);
      else setMessage(text);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="override-form" onSubmit={submit} noValidate aria-label={`Override ${finding.rule_id}`}>
      {message ? <ErrorAlert message={message} /> : null}
      <TextAreaField
        id={id}
        label={`Reason for overriding ${finding.rule_id}`}
        required
        hint="Recorded with your name on this decision."
        value={reason}
        onValue={setReason}
        error={error ?? undefined}
        rows={2}
      />
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          Record override
        </button>
        <button type="button" class="button button--secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function FindingItem({ decision, finding, canOverride, onUpdated }: {
  decision: EligibilityDecision;
  finding: EligibilityFinding;
  canOverride: boolean;
  onUpdated: (d: EligibilityDecision) => void;
}) {
  const citation = findingCitation(finding);
  const source = findingSource(finding);
  return (
    <li class={`finding finding--${finding.severity}`}>
      <p class="finding__message">{finding.message}</p>
      <p class="finding__meta">
        Rule <span class="code">{finding.rule_id}</span>
        {finding.unconfirmed ? <span class="badge badge--warning">clinic must confirm</span> : null}
      </p>
      {citation || source ? (
        <p class="finding__citation">
          {citation ? <>Citation: {citation}</> : null}
          {citation && source ? '. ' : null}
          {source ? <>Source: {source}</> : null}
        </p>
      ) : null}
      {finding.override ? (
        <p class="finding__override">
          <strong>Overridden</strong> by {finding.override.by} on {dateTime(finding.override.at)}: {finding.override.reason}
        </p>
      ) : finding.needs_override ? (
        <>
          <p class="finding__pending">Needs a prescriber’s override.</p>
          {canOverride && decision.current ? <OverrideForm decision={decision} finding={finding} onDone={onUpdated} /> : null}
        </>
      ) : null}
    </li>
  );
}

export function DecisionView({ decision, canOverride, onUpdated }: {
  decision: EligibilityDecision;
  canOverride: boolean;
  onUpdated: (d: EligibilityDecision) => void;
}) {
  const stops = hardStops(decision);
  return (
    <div class="decision">
      <h3 id={`decision-${decision.id}-title`}>
        {outcomeLabel(decision.outcome)}: {decision.protocol_title} v{decision.protocol_version}
      </h3>
      <p class="muted">
        Intake version {decision.intake_version}, decided {dateTime(decision.decided_at)} by {decision.decided_by}.
      </p>
      {!decision.current ? (
        <div class="alert alert--warning" role="status">
          Out of date: {decision.stale_reason ?? 'a newer intake or protocol version exists'}. Evaluate again before treatment.
        </div>
      ) : null}
      {decision.outcome === 'not_eligible' && stops.length ? (
        <div class="alert alert--error hard-stop" role="alert">
          <p>Not eligible for {decision.protocol_title}:</p>
          <ul>
            {stops.map((f) => (
              <li key={f.rule_id}>{f.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <p class={decision.cleared ? 'status-line status-line--ok' : 'status-line'}>{decisionStatus(decision)}</p>
      {decision.findings.length === 0 ? <p class="muted">No findings: no rule of this protocol applies.</p> : null}
      {groupFindings(decision.findings).map((group) => (
        <section key={group.severity} class="finding-group" aria-labelledby={`group-${decision.id}-${group.severity}`}>
          <h4 id={`group-${decision.id}-${group.severity}`}>
            {group.heading} ({group.findings.length})
          </h4>
          <ul class="findings">
            {group.findings.map((f) => (
              <FindingItem key={f.rule_id} decision={decision} finding={f} canOverride={canOverride} onUpdated={onUpdated} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

export function EligibilityPanel({ patientId, protocols, protocolId, onProtocol, canEvaluate, canOverride, refreshKey, onChanged }: {
  patientId: string;
  protocols: ProtocolSummary[];
  protocolId: string;
  onProtocol: (id: string) => void;
  canEvaluate: boolean;
  canOverride: boolean;
  refreshKey: number;
  onChanged: () => void;
}) {
  const [decisions, setDecisions] = useState<EligibilityDecision[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const protocol = protocols.find((p) => p.id === protocolId) ?? null;

  useEffect(() => {
    if (!protocolId) return;
    setDecisions(null);
    listDecisions(patientId, protocolId).then(
      (list) => {
        setDecisions(list.filter((d) => d.protocol_id === protocolId));
        setError(null);
      },
      (e) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [patientId, protocolId, refreshKey]);

  const evaluate = async () => {
    setBusy(true);
    setActionError(null);
    setNotice(null);
    try {
      const decision = await evaluateEligibility(patientId, protocolId);
      setNotice(`Evaluated: ${outcomeLabel(decision.outcome)}.`);
      onChanged();
    } catch (e) {
      setActionError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const latest = decisions?.[0] ?? null;
  return (
    <section class="card card--wide" aria-labelledby="eligibility-title">
      <h2 id="eligibility-title">Eligibility</h2>
      <div class="inline-controls">
        <SelectField
          id={fieldId('eligibility-protocol')}
          label="Protocol"
          value={protocolId}
          onValue={onProtocol}
          options={protocols.map((p) => ({ value: p.id, label: `${p.title} (v${p.version}${p.origin === 'clinic' ? ', clinic' : ''})` }))}
          placeholder="Choose a protocol…"
        />
        {canEvaluate && protocolId ? (
          <button type="button" class="button" onClick={() => void evaluate()} disabled={busy}>
            {busy ? 'Evaluating…' : 'Evaluate'}
          </button>
        ) : null}
      </div>
      {protocol ? <p class="muted">{protocol.summary}</p> : null}
      {protocol ? <UnconfirmedList protocol={protocol} /> : null}
      {actionError ? <ErrorAlert message={actionError} /> : null}
      {notice ? <Notice message={notice} /> : null}
      {error ? <ErrorAlert message={error} /> : null}
      {protocolId && !decisions && !error ? <Loading what="eligibility decisions" /> : null}
      {decisions && !latest ? <p class="muted">Not evaluated against this protocol yet.</p> : null}
      {latest ? (
        <DecisionView
          decision={latest}
          canOverride={canOverride}
          onUpdated={() => {
            setNotice('Override recorded.');
            onChanged();
          }}
        />
      ) : null}
      {decisions && decisions.length > 1 ? (
        <details class="history">
          <summary>Earlier decisions ({decisions.length - 1})</summary>
          <ol class="plain-list">
            {decisions.slice(1).map((d) => (
              <li key={String(d.id)}>
                {dateTime(d.decided_at)}: {outcomeLabel(d.outcome)} (protocol v{d.protocol_version}, intake v{d.intake_version})
                {d.current ? '' : ` — out of date: ${d.stale_reason ?? ''}`}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </section>
  );
}
