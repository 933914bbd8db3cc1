// Recording a pump rate change on an IV session: the new rate, why, and the time when it was
// changed if that was not just now. The ordered rate is shown for reference.
import { useState } from 'preact/hooks';
import { recordEvent, type DosingSession } from '../api/sessions';
import { TextAreaField, TextField } from '../components/Field';
import { ErrorAlert } from '../components/Status';
import { OccurredAtField } from './OccurredAtField';
import { rateChangeBody, type RateChangeForm as RateChangeValues } from './rateChange';
import { useServerForm } from './useServerForm';

const EMPTY: RateChangeValues = { rate: '', reason: '', time: '' };

export function RateChangeForm({ session, onSaved }: { session: DosingSession; onSaved: (s: DosingSession) => void }) {
  const [values, setValues] = useState<RateChangeValues>(EMPTY);
  const form = useServerForm(['rate_ml_per_h', 'reason', 'occurred_at']);
  const set = (key: keyof RateChangeValues) => (v: string) => setValues({ ...values, [key]: v });
  const ordered = session.dose_order?.pump_rate_ml_per_h;
  const submit = (e: Event) => {
    e.preventDefault();
    void form.submit(rateChangeBody(values, Date.now()), (body) => recordEvent(String(session.id), body), (s) => {
      setValues(EMPTY);
      onSaved(s);
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Record rate change">
      {form.message ? <ErrorAlert message={form.message} /> : null}
      <TextField
        id="rc-rate"
        label="New pump rate (mL/h)"
        required
        inputMode="decimal"
        hint={ordered !== undefined ? `Ordered rate: ${ordered} mL/h.` : undefined}
        value={values.rate}
        onValue={set('rate')}
        error={form.errors.rate_ml_per_h}
      />
      <TextAreaField id="rc-reason" label="Reason" required value={values.reason} onValue={set('reason')} error={form.errors.reason} maxLength={500} rows={2} />
      <OccurredAtField id="rc-time" label="Time changed" value={values.time} onValue={set('time')} error={form.errors.occurred_at} />
      <div class="form-actions">
        <button type="submit" class="button" disabled={form.busy}>
          Save rate change
        </button>
      </div>
    </form>
  );
}
