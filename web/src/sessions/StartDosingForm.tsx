// The start-of-dosing form behind "Start dosing": the stock the dose was drawn from (StockPicker:
// lot and location, or no ledger link, which the server allows for a start), and when a lot is
// picked the mg drawn and the mg administered, so the administration is written to the
// controlled-substance ledger in the start event's transaction; and the time dosing started,
// if not now (occurredAt.ts).
import { useState } from 'preact/hooks';
import { recordEvent, type DosingSession } from '../api/sessions';
import { TextField } from '../components/Field';
import { ErrorAlert } from '../components/Status';
import { StockPicker } from '../ledger/StockPicker';
import { withOccurredAt } from './occurredAt';
import { OccurredAtField } from './OccurredAtField';
import { startBody, startDefaults, type StartForm } from './startLogic';
import { useServerForm } from './useServerForm';

const FIELDS = [
  'administer', 'administer.lot_id', 'administer.location_id', 'administer.drawn_mg', 'administer.administered_mg',
  // The draw accounting rule names the ledger's own fields.
  'drawn_mg', 'administered_mg', 'ledger_sequence', 'occurred_at',
] as const;

export function StartDosingForm({ session, onSaved, onBack }: { session: DosingSession; onSaved: (s: DosingSession) => void; onBack: () => void }) {
  const [values, setValues] = useState<StartForm>(() => startDefaults(session.dose_order));
  const [time, setTime] = useState('');
  const form = useServerForm(FIELDS);
  const e = form.errors;
  const submit = (event: Event) => {
    event.preventDefault();
    void form.submit(withOccurredAt(startBody(values), time, Date.now()), (body) => recordEvent(String(session.id), body), onSaved);
  };
  const ordered = session.dose_order ? `The order is ${session.dose_order.dose_mg} mg.` : undefined;
  return (
    <form class="action__form" aria-label="Start dosing" noValidate onSubmit={submit}>
      {form.message ? <ErrorAlert message={form.message} /> : null}
      <div class="grid grid--compact">
        <StockPicker
          id="start-stock"
          allowNone
          value={values.stock}
          onChange={(stock) => setValues((v) => ({ ...v, stock }))}
          error={e['administer.lot_id'] ?? e['administer.location_id'] ?? e.administer ?? e.ledger_sequence}
        />
        {values.stock ? (
          <>
            <TextField id="start-drawn" label="Drawn (mg)" required inputMode="decimal" value={values.drawn_mg} onValue={(v) => setValues({ ...values, drawn_mg: v })} error={e['administer.drawn_mg'] ?? e.drawn_mg} hint={ordered} />
            <TextField id="start-administered" label="Administered (mg)" required inputMode="decimal" value={values.administered_mg} onValue={(v) => setValues({ ...values, administered_mg: v })} error={e['administer.administered_mg'] ?? e.administered_mg} hint="Any rest drawn is wasted with a witness from the lot's ledger page." />
          </>
        ) : null}
        <OccurredAtField id="start-time" label="Time dosing started" value={time} onValue={setTime} error={e.occurred_at} />
      </div>
      <div class="form-actions">
        <button type="submit" class="button" disabled={form.busy}>
          Confirm start dosing
        </button>
        <button type="button" class="button button--secondary" onClick={onBack}>
          Back
        </button>
      </div>
    </form>
  );
}
