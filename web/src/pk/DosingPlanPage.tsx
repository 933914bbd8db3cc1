// A patient's dosing plan: choose a PK model and an IV dose in mg/kg over a duration; the
// server predicts the plasma concentration for the patient's latest recorded weight (shown
// with its date) and the page charts it with the 100-250 ng/mL range associated with
// dissociation (clinical-reference.md A4) shaded. A prediction, not a measurement.
import { useEffect, useState } from 'preact/hooks';
import { getPatient } from '../api/patients';
import { listPkModels, patientDosingPlan, type DosingPlanAnswer, type PkModel } from '../api/pk';
import type { Patient } from '../api/types';
import { SelectField, TextField } from '../components/Field';
import { ApiErrorView, ErrorAlert, Loading } from '../components/Status';
import { kilograms, patientName } from '../lib/format';
import { useTitle } from '../lib/useTitle';
import { href } from '../router';
import { chartGeometry, DEFAULT_BOX } from './concentrationChart';

function ConcentrationChart({ answer }: { answer: DosingPlanAnswer }) {
  const band = answer.dissociation_band_ng_per_ml;
  const g = chartGeometry(answer.points, band);
  const box = DEFAULT_BOX;
  const bottom = box.height - box.bottom;
  return (
    <svg
      class="concentration-chart"
      viewBox={`0 0 ${box.width} ${box.height}`}
      role="img"
      aria-label={`Predicted plasma concentration over ${g.xMax} minutes; peak ${answer.peak_plasma_ng_per_ml.toFixed(0)} ng/mL at ${answer.peak_minute} min`}
    >
      <rect
        class="dissociation-band"
        x={g.band.x}
        y={g.band.y}
        width={g.band.width}
        height={g.band.height}
        fill="#f4c542"
        fill-opacity="0.3"
      >
        <title>{`${band.low}-${band.high} ng/mL: ${band.source}`}</title>
      </rect>
      {g.xTicks.map((t) => (
        <g key={`x${t.value}`}>
          <line x1={t.x} x2={t.x} y1={box.top} y2={bottom} stroke="#ddd" />
          <text x={t.x} y={bottom + 16} text-anchor="middle" font-size="12">
            {t.value}
          </text>
        </g>
      ))}
      {g.yTicks.map((t) => (
        <g key={`y${t.value}`}>
          <line x1={box.left} x2={box.width - box.right} y1={t.y} y2={t.y} stroke="#ddd" />
          <text x={box.left - 6} y={t.y + 4} text-anchor="end" font-size="12">
            {t.value}
          </text>
        </g>
      ))}
      <text x={(box.left + box.width) / 2} y={box.height - 4} text-anchor="middle" font-size="12">
        minutes
      </text>
      <polyline class="concentration-curve" points={g.polyline} fill="none" stroke="#1f4e9c" stroke-width="2" />
    </svg>
  );
}

export function DosingPlanPage({ id }: { id: string }) {
  useTitle('Dosing plan');
  const [patient, setPatient] = useState<Patient | null>(null);
  const [models, setModels] = useState<PkModel[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [model, setModel] = useState('domino-1984');
  const [dose, setDose] = useState('0.5'); // mg/kg: the standard antidepressant dose (clinical-reference.md B)
  const [minutes, setMinutes] = useState('40');
  const [until, setUntil] = useState('240');
  const [answer, setAnswer] = useState<DosingPlanAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    getPatient(id).then(setPatient, setLoadError);
    listPkModels().then((all) => setModels(all.filter((m) => m.routes.includes('iv'))), setLoadError);
  }, [id]);

  if (loadError) return <ApiErrorView error={loadError} what="Dosing plan" />;

  const predict = async (event: Event) => {
    event.preventDefault();
    setError(null);
    const doseValue = Number(dose);
    const minutesValue = Number(minutes);
    const untilValue = Number(until);
    if (!(doseValue > 0 && doseValue <= 10)) return setError('Dose must be above 0 and at most 10 mg/kg.');
    if (!(minutesValue > 0 && minutesValue <= 1440)) return setError('Duration must be above 0 and at most 1440 minutes.');
    if (!(untilValue >= minutesValue && untilValue <= 1440)) return setError('Chart until must be between the duration and 1440 minutes.');
    setBusy(true);
    try {
      setAnswer(
        await patientDosingPlan(id, {
          model,
          infusions: [{ dose_mg_per_kg: doseValue, over_min: minutesValue, at_min: 0 }],
          times: { first: 0, last: untilValue, step: untilValue > 600 ? 5 : 1 },
        }),
      );
    } catch (e) {
      setAnswer(null);
      setError((e as { message?: string }).message ?? String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article aria-labelledby="dosing-title">
      <p class="breadcrumb">
        <a href={href({ name: 'patients' })}>Patients</a> /{' '}
        <a href={href({ name: 'patient', id })}>{patient ? patientName(patient) : 'Patient'}</a>
      </p>
      <h1 id="dosing-title" tabIndex={-1}>
        Dosing plan
      </h1>
      {!patient || !models ? (
        <Loading what="dosing plan" />
      ) : !patient.latest_weight ? (
        <p class="alert alert--warning" role="alert">
          No weight is recorded for this patient. Record one on the{' '}
          <a href={href({ name: 'patient', id })}>chart</a> first: doses are calculated from the latest recorded weight.
        </p>
      ) : (
        <>
          <p>
            Weight used: <strong>{kilograms(patient.latest_weight.weight_kg)}</strong>, recorded on{' '}
            {patient.latest_weight.measured_on}.
          </p>
          <form class="card card--wide" onSubmit={predict} noValidate>
            <SelectField
              id="pk-model"
              label="Model"
              value={model}
              onValue={setModel}
              options={models.map((m) => ({ value: m.id, label: `${m.name} (${m.drug}, ${m.enantiomer})` }))}
            />
            <TextField id="pk-dose" label="Dose (mg/kg)" value={dose} onValue={setDose} inputMode="decimal" required />
            <TextField id="pk-minutes" label="Infused over (minutes)" value={minutes} onValue={setMinutes} inputMode="decimal" required />
            <TextField id="pk-until" label="Chart until (minute)" value={until} onValue={setUntil} inputMode="numeric" />
            <button type="submit" class="button" disabled={busy}>
              Predict concentration
            </button>
          </form>
          {error ? <ErrorAlert message={error} /> : null}
          {answer ? (
            <section class="card card--wide" aria-labelledby="prediction-title">
              <h2 id="prediction-title">Predicted plasma concentration</h2>
              <p role="status">
                {answer.iv_dose_mg.toFixed(1)} mg over {minutes} min for {kilograms(answer.weight_kg)} (weighed{' '}
                {answer.weight_measured_on}): peak <strong>{answer.peak_plasma_ng_per_ml.toFixed(0)} ng/mL</strong> at{' '}
                {answer.peak_minute} min ({answer.model_name}).
              </p>
              {answer.warnings.map((w) => (
                <p key={w} class="alert alert--warning">
                  {w}
                </p>
              ))}
              <ConcentrationChart answer={answer} />
              <p class="hint">
                Shaded: {answer.dissociation_band_ng_per_ml.low}-{answer.dissociation_band_ng_per_ml.high} ng/mL, the plasma
                range associated with dissociation ({answer.dissociation_band_ng_per_ml.source}). Model prediction, not a
                measurement. Source: {answer.citation}
              </p>
            </section>
          ) : null}
        </>
      )}
    </article>
  );
}
