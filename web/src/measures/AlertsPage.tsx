// Safety alerts dashboard: the clinic's open alerts from rating-scale measures (PHQ-9 item 9
// above 0, C-SSRS high risk, ...), urgent first, each with its patient and an acknowledge form
// that needs the action taken. An alert stays here until a clinician acknowledges it. "Mine"
// shows only the patients whose responsible clinician is the signed-in user; "All" the clinic's.
import { useEffect, useState } from 'preact/hooks';
import { acknowledgeAlert, listAlerts } from '../api/measures';
import type { MeasureAlert } from '../api/types';
import { useSession } from '../auth/SessionContext';
import { hasPermission } from '../auth/permissions';
import { TextAreaField } from '../components/Field';
import { ApiErrorView, Loading, Notice } from '../components/Status';
import { dateTime, patientName } from '../lib/format';
import { useTitle } from '../lib/useTitle';
import { href } from '../router';
import { ACTION_NOTE_MAX, actionNoteError, alertOrder } from './actionNote';

function AcknowledgeForm({ alert, onDone }: { alert: MeasureAlert; onDone: (message: string) => void }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const id = `ack-note-${alert.id}`;

  const submit = async (event: Event) => {
    event.preventDefault();
    const problem = actionNoteError(note);
    setError(problem);
    if (problem) return;
    setBusy(true);
    setFailure(null);
    try {
      await acknowledgeAlert(alert.id, note.trim());
      onDone(`Alert acknowledged for ${alert.patient ? patientName(alert.patient) : `patient ${alert.patient_id}`}.`);
    } catch (e: unknown) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-label={`Acknowledge alert ${alert.id}`}>
      {failure ? <ApiErrorView error={failure} what="Acknowledgement" /> : null}
      <TextAreaField
        id={id}
        label="Action taken"
        required
        value={note}
        onValue={setNote}
        maxLength={ACTION_NOTE_MAX}
        error={error ?? undefined}
        hint="Required. What was done, e.g. who called the patient and the plan."
      />
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          Acknowledge
        </button>
      </div>
    </form>
  );
}

export function AlertsPage() {
  useTitle('Safety alerts');
  const { session } = useSession();
  const canAcknowledge = hasPermission(session.permissions, 'measure.alert.acknowledge');
  const canOpenCharts = hasPermission(session.permissions, 'patient.read');
  const [alerts, setAlerts] = useState<MeasureAlert[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [mine, setMine] = useState(false);

  useEffect(() => {
    let current = true;
    setError(null);
    setAlerts(null);
    listAlerts('open', null, 200, mine)
      .then((page) => current && setAlerts([...page.items].sort(alertOrder)))
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [reload, mine]);

  const done = (text: string) => {
    setMessage(text);
    setReload((n) => n + 1);
  };

  return (
    <section aria-labelledby="alerts-title">
      <h1 id="alerts-title" tabIndex={-1}>
        Safety alerts
      </h1>
      <div class="toggle" role="group" aria-label="Whose alerts">
        <button type="button" class="button button--secondary" aria-pressed={mine ? 'true' : 'false'} onClick={() => setMine(true)}>
          Mine
        </button>
        <button type="button" class="button button--secondary" aria-pressed={mine ? 'false' : 'true'} onClick={() => setMine(false)}>
          All
        </button>
      </div>
      {message ? <Notice message={message} /> : null}
      {error ? (
        <ApiErrorView error={error} what="Safety alerts" />
      ) : !alerts ? (
        <Loading what="safety alerts" />
      ) : alerts.length === 0 ? (
        <p role="status">{mine ? 'No open safety alerts for your patients.' : 'No open safety alerts.'}</p>
      ) : (
        <ul class="alert-list" aria-label="Open safety alerts">
          {alerts.map((alert) => (
            <li key={alert.id} class="card">
              <p class={`alert ${alert.severity === 'urgent' ? 'alert--error' : 'alert--warning'}`}>
                {alert.severity === 'urgent' ? 'Urgent: ' : ''}
                {alert.display}
              </p>
              <p>
                <strong>
                  {alert.patient ? (
                    canOpenCharts ? (
                      <a href={href({ name: 'patient', id: String(alert.patient_id) })}>{patientName(alert.patient)}</a>
                    ) : (
                      patientName(alert.patient)
                    )
                  ) : (
                    `Patient ${alert.patient_id}`
                  )}
                </strong>
                {alert.patient ? ` (${alert.patient.mrn})` : ''} · {alert.instrument} · raised {dateTime(alert.raised_at)}
                {alert.responsible_clinician ? ` · responsible: ${alert.responsible_clinician.username}` : ''}
              </p>
              {canAcknowledge ? <AcknowledgeForm alert={alert} onDone={done} /> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
