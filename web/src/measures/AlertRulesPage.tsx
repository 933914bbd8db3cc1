// The clinic's own alert rules (protocol.admin): the active rules, a form to create one
// (instrument, condition, N, item, severity, the alert's text) with each server error shown
// next to its field, retiring a rule with a reason (the rule is kept, retired), and the retired
// ones for the record. The alerts they raise appear on the Alerts page like every other.
import { useEffect, useState } from 'preact/hooks';
import { createAlertRule, listAlertRules, retireAlertRule, type AlertRule, type AlertRuleCondition } from '../api/alertRules';
import { ApiError } from '../api/client';
import { listInstruments } from '../api/measures';
import { SelectField, TextField } from '../components/Field';
import { ApiErrorView, ErrorAlert, Loading } from '../components/Status';
import { dateTime } from '../lib/format';
import { useTitle } from '../lib/useTitle';
import { alertRuleBody, alertRuleText, CONDITION_OPTIONS, ruleItemOptions, SEVERITY_OPTIONS } from './alertRuleForm';
import type { Instrument } from './measureForm';

function RetireForm({ rule, onRetired }: { rule: AlertRule; onRetired: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!reason.trim()) return setError('Give the reason for retiring the rule.');
    try {
      await retireAlertRule(rule.id, reason.trim());
      onRetired();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <form class="inline-form" onSubmit={submit} noValidate aria-label={`Retire rule ${rule.id}`}>
      <TextField id={`retire-reason-${rule.id}`} label="Reason for retiring" value={reason} onValue={setReason} maxLength={500} error={error ?? undefined} />
      <button type="submit" class="button button--secondary">
        Retire rule
      </button>
    </form>
  );
}

function CreateRuleForm({ instruments, onCreated }: { instruments: Instrument[]; onCreated: () => void }) {
  const [instrument, setInstrument] = useState('');
  const [condition, setCondition] = useState<AlertRuleCondition | ''>('');
  const [threshold, setThreshold] = useState('');
  const [item, setItem] = useState('');
  const [severity, setSeverity] = useState<'urgent' | 'advisory' | ''>('');
  const [display, setDisplay] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const chosen = instruments.find((i) => i.instrument === instrument);

  const submit = async (event: Event) => {
    event.preventDefault();
    setMessage(null);
    const built = alertRuleBody({ instrument, condition, threshold, item, severity, display });
    if ('field' in built) return setErrors({ [built.field]: built.message });
    setErrors({});
    try {
      await createAlertRule(built.body);
      setCondition('');
      setThreshold('');
      setItem('');
      setDisplay('');
      onCreated();
    } catch (e) {
      if (e instanceof ApiError && e.field) setErrors({ [e.field]: e.message });
      else setMessage(e instanceof Error ? e.message : String(e));
    }
  };

  const range = chosen?.total_range ? `total ${chosen.total_range[0]}–${chosen.total_range[1]}` : undefined;
  return (
    <form class="measurement-form" onSubmit={submit} noValidate aria-labelledby="new-rule-title">
      <h2 id="new-rule-title">New rule</h2>
      {message ? <ErrorAlert message={message} /> : null}
      <div class="grid grid--compact">
        <SelectField id="rule-instrument" label="Instrument" value={instrument} placeholder="Choose an instrument"
          onValue={(v) => { setInstrument(v); setItem(''); }}
          options={instruments.map((i) => ({ value: i.instrument, label: i.title }))} error={errors['instrument']} />
        <SelectField id="rule-condition" label="Condition" value={condition} placeholder="Choose"
          onValue={(v) => setCondition(v as AlertRuleCondition | '')} options={CONDITION_OPTIONS} error={errors['condition']} />
        {condition === 'item_at_least' ? (
          <SelectField id="rule-item" label="Item" value={item} placeholder="Choose the item" onValue={setItem}
            options={ruleItemOptions(chosen)} error={errors['item']} />
        ) : null}
        <TextField id="rule-threshold" label="N" inputMode="numeric" value={threshold} onValue={setThreshold}
          hint={condition !== 'item_at_least' ? range : undefined} error={errors['threshold']} />
        <SelectField id="rule-severity" label="Severity" value={severity} placeholder="Choose"
          onValue={(v) => setSeverity(v as 'urgent' | 'advisory' | '')} options={SEVERITY_OPTIONS} error={errors['severity']} />
        <TextField id="rule-display" label="Alert text" value={display} onValue={setDisplay} maxLength={200} error={errors['display']} />
      </div>
      <div class="form-actions">
        <button type="submit" class="button">
          Create rule
        </button>
      </div>
    </form>
  );
}

export function AlertRulesPage() {
  useTitle('Alert rules');
  const [rules, setRules] = useState<AlertRule[] | null>(null);
  const [instruments, setInstruments] = useState<Instrument[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    listInstruments().then((list) => setInstruments(list.items)).catch(setError);
  }, []);
  useEffect(() => {
    listAlertRules('all').then((list) => setRules(list.items)).catch(setError);
  }, [reload]);

  const refresh = () => setReload((n) => n + 1);
  const title = (key: string) => instruments.find((i) => i.instrument === key)?.title ?? key;
  const active = rules?.filter((r) => r.status === 'active') ?? [];
  const retired = rules?.filter((r) => r.status === 'retired') ?? [];

  return (
    <section aria-labelledby="alert-rules-title">
      <h1 id="alert-rules-title" tabIndex={-1}>
        Alert rules
      </h1>
      <p>
        The clinic's own conditions on a measure. A rule that fires raises an alert to the patient's responsible clinician on
        the Alerts page, in addition to the instruments' own alerts. Thresholds are the clinic's choice.
      </p>
      {error ? (
        <ApiErrorView error={error} what="Alert rules" />
      ) : !rules ? (
        <Loading what="alert rules" />
      ) : (
        <>
          {active.length === 0 ? (
            <p role="status">No active rules.</p>
          ) : (
            <ul class="plain-list">
              {active.map((rule) => (
                <li key={rule.id}>
                  <strong>{alertRuleText(rule, title(rule.instrument))}</strong> → {rule.severity}: “{rule.display}” (rule #{rule.id},
                  by {rule.created_by}, {dateTime(rule.created_at)})
                  <RetireForm rule={rule} onRetired={refresh} />
                </li>
              ))}
            </ul>
          )}
          <CreateRuleForm instruments={instruments} onCreated={refresh} />
          {retired.length ? (
            <details>
              <summary>Retired rules ({retired.length})</summary>
              <ul class="plain-list">
                {retired.map((rule) => (
                  <li key={rule.id}>
                    {alertRuleText(rule, title(rule.instrument))} → {rule.severity}: “{rule.display}” — retired by {rule.retired?.by}{' '}
                    {rule.retired ? dateTime(rule.retired.at) : ''}: {rule.retired?.reason}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      )}
    </section>
  );
}
