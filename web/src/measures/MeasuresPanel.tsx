// The chart's rating-scale measures: the responsible clinician, schedules and due measures, the
// trajectory chart (one panel per instrument, sessions marked), every measure, oldest first,
// with band, change against the baseline (response, remission, reliable change) and raised
// alerts; CSV export; and the form
// to enter a measure (items from the instrument's Questionnaire, skip logic applied, item text
// only where the instrument ships it). Errors from the server appear next to their item.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { listSessionStarts } from '../api/measureSchedules';
import { createSelfReportLink, listInstruments, listMeasures, recordMeasure, type Measure } from '../api/measures';
import { SelectField, TextField } from '../components/Field';
import { ApiErrorView, ErrorAlert, Loading, Notice } from '../components/Status';
import { dateTime } from '../lib/format';
import { answersFor, formItems, isAsked, trajectoryCsv, type Instrument } from './measureForm';
import { MeasureSchedules } from './MeasureSchedules';
import { ResponsibleClinician } from './ResponsibleClinician';
import { TrajectoryChart } from './TrajectoryChart';
import { buildTrajectories } from './trajectoryChart';

function EnterMeasureForm({ patientId, instruments, onAdded }: { patientId: string; instruments: Instrument[]; onAdded: (m: Measure) => void }) {
  const [key, setKey] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const instrument = instruments.find((i) => i.instrument === key);
  const items = instrument ? formItems(instrument) : [];

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!instrument) return;
    const answers = answersFor(items, values);
    const bad = answers.findIndex((a) => Number.isNaN(a));
    if (bad >= 0) {
      setErrors({ [`answers[${bad}]`]: 'Enter a whole number.' });
      return;
    }
    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      const measure = await recordMeasure(patientId, { instrument: instrument.instrument, answers });
      setValues({});
      onAdded(measure);
    } catch (e) {
      if (e instanceof ApiError && e.field) setErrors({ [e.field]: e.message });
      else setMessage(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="measurement-form" onSubmit={submit} noValidate aria-labelledby="enter-measure-title">
      <h3 id="enter-measure-title">Enter a measure</h3>
      {message ? <ErrorAlert message={message} /> : null}
      {errors['answers'] ? <ErrorAlert message={errors['answers']} /> : null}
      <SelectField
        id="measure-instrument"
        label="Instrument"
        value={key}
        placeholder="Choose an instrument"
        onValue={(v) => {
          setKey(v);
          setValues({});
          setErrors({});
        }}
        options={instruments.map((i) => ({ value: i.instrument, label: i.title }))}
      />
      {instrument?.kind === 'clinician_total' ? (
        <p class="hint">Licensed scale: enter the total, or every item value.</p>
      ) : null}
      <div class="grid grid--compact">
        {items.map((item, index) => {
          const id = `measure-item-${index}`;
          const asked = isAsked(item, values);
          const set = (v: string) => setValues((old) => ({ ...old, [item.linkId]: v }));
          const error = errors[`answers[${index}]`];
          if (!asked) return null;
          return item.options ? (
            <SelectField key={id} id={id} label={item.label} value={values[item.linkId] ?? ''} placeholder="—" onValue={set} options={item.options} error={error} />
          ) : (
            <TextField key={id} id={id} label={`${item.label} (${item.min}–${item.max})`} inputMode="numeric" value={values[item.linkId] ?? ''} onValue={set} error={error} />
          );
        })}
      </div>
      {instrument ? (
        <div class="form-actions">
          <button type="submit" class="button" disabled={busy}>
            Save measure
          </button>
        </div>
      ) : null}
    </form>
  );
}

function SelfReportLinkForm({ patientId, instruments }: { patientId: string; instruments: Instrument[] }) {
  const choices = instruments.filter((i) => i.kind === 'self_report' && i.item_text_shipped);
  const [key, setKey] = useState(choices[0]?.instrument ?? '');
  const [link, setLink] = useState<{ url: string; expires_at: string } | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  if (!choices.length) return null;

  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    try {
      const created = await createSelfReportLink(patientId, key);
      setLink({ url: `${window.location.origin}/#/self-report/${created.token}`, expires_at: created.expires_at });
    } catch (e) {
      setFailure(e);
    }
  };

  return (
    <form class="measurement-form" onSubmit={submit} noValidate aria-labelledby="self-report-link-title">
      <h3 id="self-report-link-title">Send a self-report link</h3>
      {failure ? <ApiErrorView error={failure} what="Self-report link" /> : null}
      <SelectField
        id="self-report-instrument"
        label="Questionnaire for the patient"
        value={key}
        onValue={setKey}
        options={choices.map((i) => ({ value: i.instrument, label: i.title }))}
      />
      <div class="form-actions">
        <button type="submit" class="button button--secondary">
          Create link
        </button>
      </div>
      {link ? (
        <p role="status">
          Single-use link for the patient (shown once, valid until {dateTime(link.expires_at)}):{' '}
          <code class="self-report-link">{link.url}</code>
        </p>
      ) : null}
    </form>
  );
}

function changeText(m: Measure): string {
  if (m.baseline) return 'baseline';
  if (!m.change) return '';
  const parts: string[] = [];
  if (m.change.response !== undefined) parts.push(m.change.response ? 'response' : 'no response');
  if (m.change.remission) parts.push('remission');
  if (m.change.reliable_change) parts.push(m.change.reliable_change.replace(/_/g, ' '));
  return parts.join(', ');
}

export function MeasuresPanel({ patientId, canWrite }: { patientId: string; canWrite: boolean }) {
  const [measures, setMeasures] = useState<Measure[] | null>(null);
  const [instruments, setInstruments] = useState<Instrument[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let current = true;
    listMeasures(patientId, null)
      .then((page) => current && setMeasures(page.items))
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [patientId, reload]);
  const [sessionStarts, setSessionStarts] = useState<string[]>([]);
  useEffect(() => {
    listInstruments().then((r) => setInstruments(r.items), setError);
  }, []);
  useEffect(() => {
    let current = true;
    listSessionStarts(patientId)
      .then((page) => current && setSessionStarts(page.items.map((s) => s.started_at)))
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [patientId]);
  const trajectories = useMemo(
    () => (measures ? buildTrajectories(measures, instruments, sessionStarts) : []),
    [measures, instruments, sessionStarts],
  );

  const exportCsv = () => {
    if (!measures) return;
    const url = URL.createObjectURL(new Blob([trajectoryCsv(measures)], { type: 'text/csv' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `measures-patient-${patientId}.csv`;
    link.click();
    URL.revokeObjectURL(url);
  };

  return (
    <section class="card" aria-labelledby="measures-title">
      <h2 id="measures-title">Rating-scale measures</h2>
      {notice ? <Notice message={notice} /> : null}
      <ResponsibleClinician patientId={patientId} canWrite={canWrite} />
      <MeasureSchedules patientId={patientId} canWrite={canWrite} instruments={instruments} reload={reload} />
      {trajectories.length ? (
        <section aria-labelledby="trajectory-title" class="trajectories">
          <h3 id="trajectory-title">Trajectory</h3>
          {trajectories.map((t) => (
            <TrajectoryChart key={t.instrument} trajectory={t} />
          ))}
        </section>
      ) : null}
      {error ? (
        <ApiErrorView error={error} what="Measures" />
      ) : !measures ? (
        <Loading what="measures" />
      ) : measures.length === 0 ? (
        <p>No measures recorded.</p>
      ) : (
        <>
          <div class="table-wrap">
            <table class="table table--dense">
              <caption class="visually-hidden">Measures, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">Administered</th>
                  <th scope="col">Instrument</th>
                  <th scope="col">Total</th>
                  <th scope="col">Band</th>
                  <th scope="col">Change</th>
                  <th scope="col">Alerts</th>
                </tr>
              </thead>
              <tbody>
                {measures.map((m) => (
                  <tr key={String(m.id)}>
                    <td>{dateTime(m.administered_at)}</td>
                    <td>{m.instrument}</td>
                    <td>{m.total ?? ''}</td>
                    <td>{m.score.band_display ?? m.band ?? ''}</td>
                    <td>{changeText(m)}</td>
                    <td>{m.alerts.map((a) => a.code).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button type="button" class="button button--secondary" onClick={exportCsv}>
            Export CSV
          </button>
        </>
      )}
      {canWrite && instruments.length ? <SelfReportLinkForm patientId={patientId} instruments={instruments} /> : null}
      {canWrite && instruments.length ? (
        <EnterMeasureForm
          patientId={patientId}
          instruments={instruments}
          onAdded={(m) => {
            setNotice(
              m.alerts.length
                ? `Measure saved. Safety alert raised: ${m.alerts.map((a) => a.code).join(', ')}.`
                : 'Measure saved.',
            );
            setReload((n) => n + 1);
          }}
        />
      ) : null}
    </section>
  );
}
