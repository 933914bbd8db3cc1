// The esketamine administration at the chair: devices given of those ordered, each device's
// time and observer (and ledger entry when its lot was named), a live countdown to the next
// allowed device (the protocol's rest between devices), and the button that records the next
// device with who observed it, optionally the ledger lot and location it came from (picked in
// the StockPicker from the lots in date with stock left) and the time it was given, if not now
// (occurredAt.ts).
import { useState } from 'preact/hooks';
import { recordEvent, type DosingSession, type SessionDevices } from '../api/sessions';
import { TextField } from '../components/Field';
import { StockPicker } from '../ledger/StockPicker';
import { ErrorAlert } from '../components/Status';
import { dateTime } from '../lib/format';
import { countdownLabel, deviceBody, deviceState, msToNextDevice, type DeviceForm } from './deviceLogic';
import { withOccurredAt } from './occurredAt';
import { OccurredAtField } from './OccurredAtField';
import { useNow } from './useNow';
import { useServerForm } from './useServerForm';

const EMPTY: DeviceForm = { observed_by: '', stock: null };

export function EsketamineDevices({ session, devices, canRecord, onSaved }: {
  session: DosingSession;
  devices: SessionDevices;
  canRecord: boolean;
  onSaved: (s: DosingSession) => void;
}) {
  const now = useNow(1000);
  const [values, setValues] = useState<DeviceForm>(EMPTY);
  const [time, setTime] = useState('');
  const form = useServerForm(['device_number', 'observed_by', 'administer', 'administer.lot_id', 'administer.location_id', 'ledger_sequence', 'occurred_at']);
  const state = deviceState(devices, session.allowed.device, canRecord, now);
  const wait = msToNextDevice(devices, now);
  const open = session.phase === 'checked_in' || session.phase === 'dosing' || session.phase === 'paused';
  const submit = (e: Event) => {
    e.preventDefault();
    if (state.next === null) return;
    void form.submit(withOccurredAt(deviceBody(state.next, values), time, Date.now()), (body) => recordEvent(String(session.id), body), (s) => {
      // The next device usually comes from the same lot: keep the choice (dropped if used up).
      setValues({ observed_by: values.observed_by, stock: values.stock });
      setTime('');
      onSaved(s);
    });
  };
  return (
    <div class="devices" aria-label="Esketamine devices">
      <p data-testid="devices-given">
        Devices given: <strong>{devices.given} of {devices.ordered}</strong>
        {devices.rest_between_devices_min !== null ? ` · ${devices.rest_between_devices_min} min rest between devices` : ''}
      </p>
      {wait !== null && open ? (
        <p class="alert alert--info" role="status">
          Next device allowed in{' '}
          <span role="timer" aria-label="Time to the next device" data-testid="device-countdown">
            {countdownLabel(wait)}
          </span>
          {devices.next_allowed_at ? ` (at ${dateTime(devices.next_allowed_at)})` : ''}
        </p>
      ) : null}
      {devices.items.length ? (
        <ol class="devices__list">
          {devices.items.map((d) => (
            <li key={d.device_number}>
              Device {d.device_number} at {dateTime(d.occurred_at)}, observed by {d.observed_by}
              {d.ledger ? `, ledger entry #${d.ledger.sequence} (lot ${d.ledger.lot_id})` : ''}
            </li>
          ))}
        </ol>
      ) : null}
      {open && state.next !== null ? (
        <form onSubmit={submit} noValidate aria-label={`Record device ${state.next}`}>
          {form.message ? <ErrorAlert message={form.message} /> : null}
          <div class="grid grid--compact">
            <TextField id="dev-observed" label="Observed by" value={values.observed_by} onValue={(v) => setValues({ ...values, observed_by: v })} error={form.errors.observed_by} maxLength={200} hint="Leave empty for yourself." />
            {/* The server records a device without a ledger link today, so "No ledger link" stays offered. */}
            <StockPicker
              id="dev-stock"
              allowNone
              value={values.stock}
              onChange={(stock) => setValues((v) => ({ ...v, stock }))}
              error={form.errors['administer.lot_id'] ?? form.errors['administer.location_id'] ?? form.errors.administer}
              refresh={devices.given}
            />
            <OccurredAtField id="dev-time" label="Time given" value={time} onValue={setTime} error={form.errors.occurred_at} />
          </div>
          <div class="form-actions">
            <button type="submit" class="button" disabled={!state.enabled || form.busy} aria-describedby={state.blockedBy ? 'device-rule' : undefined}>
              Device {state.next} given
            </button>
            {state.blockedBy ? (
              <p id="device-rule" class="hint action__rule">
                {state.blockedBy}
              </p>
            ) : null}
          </div>
        </form>
      ) : null}
    </div>
  );
}
