// The clinic's instrument settings (protocol.admin): for each instrument whose data file lets a
// clinic choose a cut-off or remission threshold, a table of its settings (the data file's
// default, the allowed range, the citation behind both, and the value in force), a form to save
// the next version with a reason (each server error shown next to its field), and the history of
// versions. New measures are scored with the version in force; a past measure keeps the result it
// was scored with and names its version.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { listInstrumentSettings, saveInstrumentSettings, type InstrumentSettingsEntry } from '../api/instrumentSettings';
import { SelectField, TextField } from '../components/Field';
import { ApiErrorView, ErrorAlert, Loading, Notice } from '../components/Status';
import { dateTime } from '../lib/format';
import { useTitle } from '../lib/useTitle';
import { describeValues, initialValues, settingFieldId, settingOptions, settingsBody } from './instrumentSettingsForm';

function SettingsForm({ entry, onSaved }: { entry: InstrumentSettingsEntry; onSaved: (saved: InstrumentSettingsEntry) => void }) {
  const [values, setValues] = useState<Record<string, string>>(() => initialValues(entry));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setMessage(null);
    const built = settingsBody(entry, values, reason);
    if ('field' in built) return setErrors({ [built.field]: built.message });
    setErrors({});
    setBusy(true);
    try {
      const saved = await saveInstrumentSettings(built.body);
      setReason('');
      onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError && e.field && e.status === 400) setErrors({ [e.field]: e.message });
      else setMessage(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const titleId = `settings-form-${entry.instrument}`;
  return (
    <form class="measurement-form" onSubmit={submit} noValidate aria-labelledby={titleId}>
      <h3 id={titleId}>Change {entry.title} settings</h3>
      {message ? <ErrorAlert message={message} /> : null}
      {errors['settings'] ? <ErrorAlert message={errors['settings']} /> : null}
      <div class="grid grid--compact">
        {entry.settings.map((s) => (
          <SelectField
            key={s.name}
            id={settingFieldId(entry.instrument, s.name)}
            label={s.display}
            value={values[s.name] ?? String(s.value)}
            onValue={(v) => setValues({ ...values, [s.name]: v })}
            options={settingOptions(s)}
            hint={`Allowed ${s.min}–${s.max}; default ${s.default}.`}
            error={errors[`settings.${s.name}`]}
          />
        ))}
        <TextField id={`settings-reason-${entry.instrument}`} label="Reason for the change" value={reason} onValue={setReason}
          maxLength={500} required error={errors['reason']} />
      </div>
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          Save version {entry.version + 1}
        </button>
      </div>
    </form>
  );
}

function InstrumentSettingsCard({ entry, onSaved }: { entry: InstrumentSettingsEntry; onSaved: (saved: InstrumentSettingsEntry) => void }) {
  const headingId = `settings-${entry.instrument}`;
  return (
    <section class="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{entry.title}</h2>
      <p>
        {entry.origin === 'default'
          ? `In force: the data file's defaults (instrument version ${entry.instrument_version}); the clinic has saved no settings.`
          : `In force: version ${entry.version}, saved by ${entry.saved_by ?? '?'} on ${dateTime(entry.saved_at)}: “${entry.reason ?? ''}”.`}
      </p>
      <div class="table-wrap">
        <table class="table">
          <caption class="visually-hidden">{entry.title} settings: default, allowed range, citation and value in force</caption>
          <thead>
            <tr>
              <th scope="col">Setting</th>
              <th scope="col">Default</th>
              <th scope="col">Allowed range</th>
              <th scope="col">Citation</th>
              <th scope="col">In force</th>
            </tr>
          </thead>
          <tbody>
            {entry.settings.map((s) => (
              <tr key={s.name}>
                <th scope="row">{s.display}</th>
                <td>{s.default}</td>
                <td>
                  {s.min}–{s.max}
                </td>
                <td>{s.source}</td>
                <td>
                  <strong>{s.value}</strong>
                  {s.value === s.default ? ' (default)' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <SettingsForm key={entry.version} entry={entry} onSaved={onSaved} />
      {entry.history.length ? (
        <details>
          <summary>History ({entry.history.length}{entry.history_truncated ? '+' : ''} versions)</summary>
          <ol class="plain-list" reversed>
            {entry.history.map((v) => (
              <li key={v.version}>
                Version {v.version}, {dateTime(v.saved_at)} by {v.saved_by}: {describeValues(entry, v.values)} — “{v.reason}”
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </section>
  );
}

export function InstrumentSettingsPage() {
  useTitle('Instrument settings');
  const [items, setItems] = useState<InstrumentSettingsEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    listInstrumentSettings().then((list) => setItems(list.items)).catch(setError);
  }, []);

  const onSaved = (entry: InstrumentSettingsEntry) => {
    setItems((current) => (current ?? []).map((e) => (e.instrument === entry.instrument ? entry : e)));
    setSaved(`${entry.title} settings version ${entry.version} saved. New measures are scored with it; past measures keep their results.`);
  };

  return (
    <section aria-labelledby="instrument-settings-title">
      <h1 id="instrument-settings-title" tabIndex={-1}>
        Instrument settings
      </h1>
      <p>
        Where an instrument's data file cites a range for a cut-off or remission threshold, the clinic chooses its value within
        that range. Each change is a new version with its reason; new measures are scored with the version in force, and each
        measure keeps the version it was scored with.
      </p>
      {saved ? <Notice message={saved} /> : null}
      {error ? (
        <ApiErrorView error={error} what="Instrument settings" />
      ) : !items ? (
        <Loading what="instrument settings" />
      ) : items.length === 0 ? (
        <p role="status">No instrument has configurable settings.</p>
      ) : (
        items.map((entry) => <InstrumentSettingsCard key={entry.instrument} entry={entry} onSaved={onSaved} />)
      )}
    </section>
  );
}
