// Weight and height: latest values, the history (newest first) and the
// "Add measurement" form (POST /patients/{id}/measurements, append-only).
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { addMeasurement } from '../api/patients';
import type { MeasurementKind, Patient } from '../api/types';
import { fieldId, SelectField, TextField } from '../components/Field';
import { ErrorAlert } from '../components/Status';
import { centimetres, dateTime, kilograms } from '../lib/format';
import { todayIso } from '../lib/validation';
import { measurementRequest, measurementUnit, validateMeasurement, type MeasurementFormValues } from './measurementForm';
import { fieldPath, type FieldErrors } from './patientForm';

const KIND_OPTIONS = [
  { value: 'weight', label: 'Weight (kg)' },
  { value: 'height', label: 'Height (cm)' },
] as const;

function AddMeasurementForm({ patientId, onAdded }: { patientId: string; onAdded: () => void }) {
  const blank = (): MeasurementFormValues => ({ kind: 'weight', value: '', measured_on: todayIso(), note: '' });
  const [values, setValues] = useState<MeasurementFormValues>(blank);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof MeasurementFormValues) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  const valuePath = values.kind === 'weight' ? 'weight_kg' : 'height_cm';

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = validateMeasurement(values, todayIso());
    setErrors(found);
    setMessage(null);
    if (Object.keys(found).length) {
      document.getElementById(fieldId(`m-${Object.keys(found)[0]}`))?.focus();
      return;
    }
    setBusy(true);
    try {
      await addMeasurement(patientId, measurementRequest(values));
      setValues(blank());
      onAdded();
    } catch (e) {
      if (e instanceof ApiError && e.field) setErrors({ [fieldPath(e.field)]: e.message });
      else setMessage(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="measurement-form" onSubmit={submit} noValidate aria-labelledby="add-measurement-title">
      <h3 id="add-measurement-title">Add measurement</h3>
      {message ? <ErrorAlert message={message} /> : null}
      <div class="grid grid--compact">
        <SelectField
          id={fieldId('m-kind')}
          label="Measurement"
          value={values.kind}
          onValue={(v) => setValues((old) => ({ ...old, kind: v as MeasurementKind }))}
          options={KIND_OPTIONS}
          error={errors['kind']}
        />
        <TextField
          id={fieldId(`m-${valuePath}`)}
          label={values.kind === 'weight' ? 'Weight (kg)' : 'Height (cm)'}
          required
          inputMode="decimal"
          value={values.value}
          onValue={set('value')}
          error={errors[valuePath]}
        />
        <TextField
          id={fieldId('m-measured_on')}
          label="Measured on"
          type="date"
          required
          value={values.measured_on}
          onValue={set('measured_on')}
          error={errors['measured_on']}
        />
        <TextField id={fieldId('m-note')} label="Note" value={values.note} onValue={set('note')} error={errors['note']} maxLength={500} />
      </div>
      <button type="submit" class="button" disabled={busy}>
        {busy ? 'Saving…' : `Add ${values.kind} (${measurementUnit(values.kind)})`}
      </button>
    </form>
  );
}

export function MeasurementsPanel({ patient, canWrite, onAdded }: { patient: Patient; canWrite: boolean; onAdded: () => void }) {
  const measurements = patient.measurements ?? [];
  const newestHeight = measurements.find((m) => m.kind === 'height');
  const latestHeight =
    patient.latest_height ?? (newestHeight ? { height_cm: newestHeight.height_cm, measured_on: newestHeight.measured_on } : null);
  return (
    <section class="card card--wide" aria-labelledby="measurements-title">
      <h2 id="measurements-title">Weight and height</h2>
      <dl class="details details--inline">
        <dt>Latest weight</dt>
        <dd>
          {patient.latest_weight ? (
            <>
              <strong>{kilograms(patient.latest_weight.weight_kg)}</strong> on {patient.latest_weight.measured_on}
            </>
          ) : (
            <span class="muted">Not recorded</span>
          )}
        </dd>
        <dt>Latest height</dt>
        <dd>
          {latestHeight ? (
            <>
              <strong>{centimetres(latestHeight.height_cm)}</strong> on {latestHeight.measured_on}
            </>
          ) : (
            <span class="muted">Not recorded</span>
          )}
        </dd>
      </dl>
      {measurements.length ? (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Measurement history, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Measured on</th>
                <th scope="col">Measurement</th>
                <th scope="col">Note</th>
                <th scope="col">Recorded</th>
              </tr>
            </thead>
            <tbody>
              {measurements.map((m) => (
                <tr key={String(m.id)}>
                  <td>{m.measured_on}</td>
                  <td>{m.kind === 'weight' ? `Weight ${kilograms(m.weight_kg)}` : `Height ${centimetres(m.height_cm)}`}</td>
                  <td>{m.note || ''}</td>
                  <td>
                    {dateTime(m.recorded_at)}
                    {m.recorded_by !== undefined && m.recorded_by !== null ? ` by ${String(m.recorded_by)}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="muted">No measurements recorded.</p>
      )}
      {canWrite ? <AddMeasurementForm patientId={String(patient.id)} onAdded={onAdded} /> : null}
    </section>
  );
}
