// Monitor devices (monitor.setup, admins and nurses): every bedside monitor the server has heard
// from, when it was first and last seen, and the chair it is bound to. Binding a monitor to a
// chair sends its readings to the session in that chair; unbinding sends them to the unassigned
// queue. Each row's chair list is labelled with the device, so the form reads on its own.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { bindDevice, listDevices, type MonitorDevice } from '../api/monitor';
import { listChairs, type Chair } from '../api/schedule';
import { SelectField } from '../components/Field';
import { ApiErrorView, ErrorAlert, Loading, Notice } from '../components/Status';
import { dateTime } from '../lib/format';
import { useTitle } from '../lib/useTitle';
import { href } from '../router';
import { readingAge } from './readings';
import { useNow } from '../sessions/useNow';
import './monitor.css';

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function DeviceRow({
  device,
  chairs,
  now,
  onSaved,
}: {
  device: MonitorDevice;
  chairs: Chair[];
  now: number;
  onSaved: (device: MonitorDevice, message: string) => void;
}) {
  const [chairId, setChairId] = useState(device.chair ? String(device.chair.id) : '');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const safeId = device.device_id.replace(/[^A-Za-z0-9_-]/g, '-');
  const fieldId = `f-device-chair-${safeId}`;

  const save = async (next: number | null) => {
    setError(undefined);
    if (next === null && !device.chair) return;
    setBusy(true);
    try {
      const saved = await bindDevice(device.device_id, next);
      setChairId(saved.chair ? String(saved.chair.id) : '');
      onSaved(
        saved,
        saved.chair ? `Monitor ${saved.device_id} is bound to ${saved.chair.name}.` : `Monitor ${saved.device_id} is no longer bound to a chair.`,
      );
    } catch (e: unknown) {
      setError(e instanceof ApiError && e.field === 'chair_id' ? e.message : messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const bind = (event: Event) => {
    event.preventDefault();
    if (!chairId) {
      setError('Choose a chair.');
      document.getElementById(fieldId)?.focus();
      return;
    }
    void save(Number(chairId));
  };

  return (
    <tr data-device={device.device_id}>
      <th scope="row" class="mono">
        {device.device_id}
      </th>
      <td>{dateTime(device.first_seen_at)}</td>
      <td>
        {dateTime(device.last_seen_at)} <span class="hint">({readingAge(device.last_seen_at, now)})</span>
      </td>
      <td>
        {device.chair ? (
          <>
            {device.chair.name}
            {device.chair.room ? ` · ${device.chair.room}` : ''}
            {device.bound_by ? <div class="hint">by {device.bound_by} {dateTime(device.bound_at)}</div> : null}
          </>
        ) : (
          <span class="hint">Not bound</span>
        )}
      </td>
      <td>
        <form class="device-form" onSubmit={bind} noValidate aria-label={`Bind monitor ${device.device_id}`}>
          <SelectField
            id={fieldId}
            label={`Chair for monitor ${device.device_id}`}
            value={chairId}
            onValue={setChairId}
            options={chairs.map((c) => ({
              value: String(c.id),
              label: `${c.name}${c.room ? ` (${c.room})` : ''}${c.in_service === false ? ' — out of service' : ''}`,
            }))}
            placeholder="Choose…"
            error={error}
          />
          <div class="form-actions">
            <button type="submit" class="button button--small" disabled={busy}>
              Bind
            </button>
            {device.chair ? (
              <button type="button" class="button button--secondary button--small" disabled={busy} onClick={() => void save(null)}>
                Unbind
              </button>
            ) : null}
          </div>
        </form>
      </td>
    </tr>
  );
}

export function MonitorDevicesPage() {
  useTitle('Monitor devices');
  const [devices, setDevices] = useState<MonitorDevice[] | null>(null);
  const [chairs, setChairs] = useState<Chair[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [chairsError, setChairsError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const now = useNow(15_000);

  useEffect(() => {
    listDevices()
      .then((d) => setDevices(d.items))
      .catch((e: unknown) => setError(e));
    listChairs()
      .then((c) => setChairs(c.items))
      .catch((e: unknown) => setChairsError(`Chairs could not be loaded: ${messageOf(e)}`));
  }, []);

  const saved = (device: MonitorDevice, message: string) => {
    setDevices((list) => (list ?? []).map((d) => (d.device_id === device.device_id ? device : d)));
    setNotice(message);
  };

  return (
    <section aria-labelledby="devices-title">
      <p class="breadcrumb">
        <a href={href({ name: 'chairs' })}>Chairs</a>
      </p>
      <h1 id="devices-title" tabIndex={-1}>
        Monitor devices
      </h1>
      <p>
        Bind each bedside monitor to the chair it stands at. Its readings then go to the session in that chair; readings
        from an unbound monitor wait under <a href={href({ name: 'monitor-unassigned' })}>Unassigned vitals</a>.
      </p>
      {notice ? <Notice message={notice} /> : null}
      {chairsError ? <ErrorAlert message={chairsError} /> : null}
      {error ? (
        <ApiErrorView error={error} what="Monitor devices" />
      ) : !devices ? (
        <Loading what="monitor devices" />
      ) : devices.length === 0 ? (
        <p role="status">No monitor has sent anything yet. A monitor appears here after its first message.</p>
      ) : (
        <div class="table-wrap">
          <table class="table table--dense devices-table">
            <caption class="visually-hidden">Monitor devices</caption>
            <thead>
              <tr>
                <th scope="col">Monitor</th>
                <th scope="col">First seen</th>
                <th scope="col">Last seen</th>
                <th scope="col">Chair</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {devices.map((d) => (
                <DeviceRow key={d.device_id} device={d} chairs={chairs} now={now} onSaved={saved} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
