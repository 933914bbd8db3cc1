// Chairs by room with their service status; adding a chair (name, room) and taking a chair
// out of service or back in with a required reason. Field errors from the server appear next
// to the field it names; 409 answers (a name taken, a status unchanged) are shown verbatim.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { createChair, listChairs, setChairService, type Chair } from '../api/schedule';
import { ErrorSummary } from '../components/ErrorSummary';
import { TextAreaField, TextField } from '../components/Field';
import { ApiErrorView, ErrorAlert, Loading, Notice } from '../components/Status';
import { dateTime } from '../lib/format';
import { byRoom, chairErrors } from './setupLogic';

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function ServiceForm({
  chair,
  onDone,
  onConflict,
  onCancel,
}: {
  chair: Chair;
  onDone: (c: Chair) => void;
  onConflict: (message: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const goingOut = chair.in_service;
  const title = goingOut ? `Take ${chair.name} out of service` : `Put ${chair.name} back into service`;
  const titleId = `service-title-${chair.id}`;
  const fieldId = `f-service-reason-${chair.id}`;
  // Keyboard users land in the form they opened.
  useEffect(() => document.getElementById(fieldId)?.focus(), [fieldId]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    if (!reason.trim()) {
      setError('Enter a reason.');
      document.getElementById(fieldId)?.focus();
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      onDone(await setChairService(chair.id, { in_service: !goingOut, reason: reason.trim() }));
    } catch (e: unknown) {
      if (e instanceof ApiError && e.code === 'invalid_input' && e.field === 'reason') setError(e.message);
      else if (e instanceof ApiError && e.code === 'conflict') onConflict(e.message);
      else setFailure(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby={titleId} class="service-form">
      <h4 id={titleId}>{title}</h4>
      {failure ? <ErrorAlert message={failure} /> : null}
      <TextAreaField
        id={fieldId}
        label="Reason"
        rows={2}
        maxLength={500}
        value={reason}
        onValue={setReason}
        required
        hint={goingOut ? 'For example: pump fault, awaiting repair.' : 'For example: repaired and checked.'}
        error={error}
      />
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          {goingOut ? 'Take out of service' : 'Put back into service'}
        </button>
        <button type="button" class="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function AddChairForm({ rooms, onAdded }: { rooms: string[]; onAdded: (c: Chair) => void }) {
  const [name, setName] = useState('');
  const [room, setRoom] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    const problems = chairErrors(name, room);
    setErrors(problems);
    setAttempt((n) => n + 1);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      const chair = await createChair({ name: name.trim(), room: room.trim() });
      setName('');
      setRoom('');
      onAdded(chair);
    } catch (e: unknown) {
      if (e instanceof ApiError && (e.field === 'name' || e.field === 'room')) {
        setErrors({ [e.field]: e.message });
        setAttempt((n) => n + 1);
      } else {
        setFailure(messageOf(e));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="add-chair-title" class="card">
      <h3 id="add-chair-title">Add a chair</h3>
      <ErrorSummary errors={errors} attempt={attempt} labels={{ name: 'Chair name', room: 'Room' }} />
      {failure ? <ErrorAlert message={`Not added: ${failure}`} /> : null}
      <div class="inline-form inline-form--top">
        <TextField id="f-name" label="Chair name" value={name} onValue={setName} maxLength={60} required error={errors.name} />
        <TextField
          id="f-room"
          label="Room"
          value={room}
          onValue={setRoom}
          maxLength={60}
          required
          hint={rooms.length ? `Existing rooms: ${rooms.join(', ')}` : undefined}
          error={errors.room}
        />
        <div class="form-actions">
          <button type="submit" class="button" disabled={busy}>
            Add chair
          </button>
        </div>
      </div>
    </form>
  );
}

export function ChairsSetup() {
  const [chairs, setChairs] = useState<Chair[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reload, setReload] = useState(0);
  const [open, setOpen] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  // The chair whose action button gets focus back once the form closes and the list reloads.
  const [refocus, setRefocus] = useState<number | null>(null);

  useEffect(() => {
    let current = true;
    listChairs()
      .then((r) => current && setChairs(r.items))
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [reload]);

  useEffect(() => {
    if (refocus === null || open !== null) return;
    const button = document.getElementById(`service-button-${refocus}`);
    if (button) {
      button.focus();
      setRefocus(null);
    }
  }, [refocus, open, chairs]);

  const changed = (text: string) => {
    setConflict(null);
    setMessage(text);
    setOpen(null);
    setReload((n) => n + 1);
  };
  const groups = chairs ? byRoom(chairs) : [];

  return (
    <section aria-labelledby="chairs-title" class="setup-section">
      <h2 id="chairs-title">Chairs</h2>
      {message ? <Notice message={message} /> : null}
      {conflict ? <ErrorAlert message={`Not changed: ${conflict}`} /> : null}
      {error ? (
        <ApiErrorView error={error} what="Chairs" />
      ) : !chairs ? (
        <Loading what="the chairs" />
      ) : chairs.length === 0 ? (
        <p>No chairs yet.</p>
      ) : (
        groups.map((group) => (
          <div class="table-wrap" key={group.room}>
            <table class="table">
              <caption>Chairs in {group.room}</caption>
              <thead>
                <tr>
                  <th scope="col">Chair</th>
                  <th scope="col">Status</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Since</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {group.chairs.map((chair) => (
                  <tr key={chair.id}>
                    <th scope="row">{chair.name}</th>
                    <td>
                      {chair.in_service ? (
                        <span class="badge">In service</span>
                      ) : (
                        <span class="badge badge--danger">Out of service</span>
                      )}
                    </td>
                    <td>{chair.status_reason}</td>
                    <td>{dateTime(chair.status_changed_at)}</td>
                    <td>
                      {open === chair.id ? (
                        <ServiceForm
                          chair={chair}
                          onCancel={() => {
                            setRefocus(chair.id);
                            setOpen(null);
                          }}
                          onConflict={(text) => {
                            // Someone changed the chair meanwhile: show the server's words, reload.
                            setMessage(null);
                            setConflict(text);
                            setRefocus(chair.id);
                            setOpen(null);
                            setReload((n) => n + 1);
                          }}
                          onDone={(c) => {
                            setRefocus(c.id);
                            changed(`${c.name} ${c.in_service ? 'is back in service' : 'is out of service'}: ${c.status_reason}.`);
                          }}
                        />
                      ) : (
                        <button
                          type="button"
                          id={`service-button-${chair.id}`}
                          class="button button--secondary button--small"
                          onClick={() => setOpen(chair.id)}
                        >
                          {chair.in_service ? 'Take out of service' : 'Put back into service'}
                          <span class="visually-hidden"> ({chair.name})</span>
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))
      )}
      <AddChairForm
        rooms={groups.map((g) => g.room)}
        onAdded={(c) => changed(`Added ${c.name} in ${c.room}.`)}
      />
    </section>
  );
}
