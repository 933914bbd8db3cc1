// Intake on the patient chart: the latest intake version summarised, "Record intake" /
// "Amend intake" (a new version; an amendment needs a reason), and the version history.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { listIntakes, recordIntake } from '../api/course';
import type { IntakeDocument, IntakeVersion, IntakeVocabulary } from '../api/types';
import { ErrorSummary } from '../components/ErrorSummary';
import { fieldId, TextAreaField, TextField } from '../components/Field';
import { ErrorAlert, Loading, Notice } from '../components/Status';
import { dateTime } from '../lib/format';
import { RowsFieldset } from '../patients/RowsFieldset';
import {
  BENZODIAZEPINE,
  emptyAllergy,
  emptyIntakeForm,
  emptyMedication,
  emptySubstanceUse,
  formToIntakeDocument,
  intakeErrorPath,
  intakeToForm,
  labelFor,
  validateIntakeForm,
  vocabularyOptions,
  VITALS,
  type FieldErrors,
  type IntakeFormValues,
  type MedicationRow,
} from './intakeForm';

const LABELS: Record<string, string> = {
  'intake.age_years': 'Age',
  'intake.weight_kg': 'Weight',
  'intake.conditions': 'Conditions',
  'intake.medical_history_notes': 'Medical history',
  'intake.psychiatric_history_notes': 'Psychiatric history',
  'intake.goals': 'Goals',
  'intake.referring_provider': 'Referring provider',
  reason: 'Reason for amendment',
  ...Object.fromEntries(VITALS.map((v) => [`intake.vitals.${v.key}`, v.label])),
};

function Checkbox({ id, label, checked, onChange }: { id: string; label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label class="checkbox" for={id}>
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)} />
      {label}
    </label>
  );
}

function toggle(list: string[], code: string, on: boolean): string[] {
  return on ? (list.includes(code) ? list : [...list, code]) : list.filter((c) => c !== code);
}

function MedicationRows({ rows, onRows, errors, vocabulary }: {
  rows: MedicationRow[];
  onRows: (rows: MedicationRow[]) => void;
  errors: FieldErrors;
  vocabulary: IntakeVocabulary;
}) {
  const classes = vocabularyOptions(vocabulary.medication_classes);
  const update = (index: number, change: Partial<MedicationRow>) =>
    onRows(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  const add = () => {
    onRows([...rows, emptyMedication()]);
    setTimeout(() => document.getElementById(fieldId(`intake.medications[${rows.length}].name`))?.focus(), 0);
  };
  const remove = (index: number) => {
    onRows(rows.filter((_, i) => i !== index));
    document.getElementById('intake-medications-add')?.focus();
  };
  return (
    <fieldset class="form-section rows">
      <legend>Medications</legend>
      {rows.length === 0 ? <p class="muted">No medications entered.</p> : null}
      {rows.map((row, index) => {
        const p = `intake.medications[${index}]`;
        const text = (key: 'name' | 'rxnorm' | 'daily_dose_mg' | 'diazepam_equivalent_mg_per_day', label: string, extra: object = {}) => (
          <TextField
            id={fieldId(`${p}.${key}`)}
            label={label}
            value={row[key]}
            onValue={(v) => update(index, { [key]: v })}
            error={errors[`${p}.${key}`]}
            {...extra}
          />
        );
        const isBenzo = row.classes.includes(BENZODIAZEPINE);
        return (
          <fieldset class="row-item" key={index}>
            <legend>Medication {index + 1}</legend>
            <div class="row-item__fields">
              {text('name', 'Medication', { required: true, class: 'field--wide' })}
              {text('daily_dose_mg', 'Daily dose (mg)', { inputMode: 'decimal' })}
              {text('rxnorm', 'RxNorm code', { inputMode: 'numeric', hint: 'Digits only (optional).' })}
            </div>
            <fieldset class="checkbox-group" id={fieldId(`${p}.classes`)} tabIndex={-1}>
              <legend>Classes of medication {index + 1}</legend>
              {errors[`${p}.classes`] ? <p class="field-error">{errors[`${p}.classes`]}</p> : null}
              <div class="checkbox-grid">
                {classes.map((c) => (
                  <Checkbox
                    key={c.value}
                    id={fieldId(`${p}.classes.${c.value}`)}
                    label={c.label}
                    checked={row.classes.includes(c.value)}
                    onChange={(on) => update(index, { classes: toggle(row.classes, c.value, on) })}
                  />
                ))}
              </div>
            </fieldset>
            {isBenzo || errors[`${p}.diazepam_equivalent_mg_per_day`]
              ? text('diazepam_equivalent_mg_per_day', 'Diazepam equivalent (mg/day)', {
                  inputMode: 'decimal',
                  hint: 'The benzodiazepine dose converted to diazepam mg per day.',
                })
              : null}
            <button type="button" class="button button--secondary button--small" onClick={() => remove(index)}>
              Remove medication {index + 1}
            </button>
          </fieldset>
        );
      })}
      <button type="button" id="intake-medications-add" class="button button--secondary" onClick={add}>
        Add medication
      </button>
    </fieldset>
  );
}

export function IntakeForm({ patientId, latest, vocabulary, onSaved, onCancel }: {
  patientId: string;
  latest: IntakeVersion | null;
  vocabulary: IntakeVocabulary;
  onSaved: (saved: IntakeVersion) => void;
  onCancel: () => void;
}) {
  const amending = latest !== null;
  const [values, setValues] = useState<IntakeFormValues>(() => (latest ? intakeToForm(latest.intake) : emptyIntakeForm()));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof IntakeFormValues>(key: K) => (value: IntakeFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = validateIntakeForm(values);
    if (amending && !reason.trim()) found['reason'] = 'Say why the intake is amended.';
    setErrors(found);
    setMessage(null);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const saved = await recordIntake(patientId, formToIntakeDocument(values), amending ? reason.trim() : null);
      onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError && e.field) {
        setErrors({ [intakeErrorPath(e.field)]: e.message });
        setMessage('The intake was not saved. Please correct the following:');
      } else {
        setMessage(`The intake was not saved: ${e instanceof Error ? e.message : String(e)}`);
      }
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  const text = (path: string, value: string, onValue: (v: string) => void, extra: object = {}) => (
    <TextField id={fieldId(path)} label={LABELS[path] ?? path} value={value} onValue={onValue} error={errors[path]} {...extra} />
  );
  const area = (path: string, key: 'medical_history_notes' | 'psychiatric_history_notes' | 'goals') => (
    <TextAreaField
      id={fieldId(path)}
      label={LABELS[path]!}
      value={values[key]}
      onValue={set(key)}
      error={errors[path]}
      class="field--wide"
      maxLength={4000}
    />
  );

  return (
    <form class="intake-form" onSubmit={submit} noValidate aria-labelledby="intake-form-title">
      <h3 id="intake-form-title">{amending ? `Amend intake (version ${latest!.version + 1})` : 'Record intake'}</h3>
      <ErrorSummary errors={errors} message={message} attempt={attempt} labels={LABELS} />
      <fieldset class="form-section">
        <legend>Patient</legend>
        <div class="grid">
          {text('intake.age_years', values.age_years, set('age_years'), { inputMode: 'numeric', hint: 'Whole years.' })}
          {text('intake.weight_kg', values.weight_kg, set('weight_kg'), { inputMode: 'decimal', hint: 'Kilograms, e.g. 72.5.' })}
          {text('intake.referring_provider', values.referring_provider, set('referring_provider'), { maxLength: 300 })}
        </div>
      </fieldset>

      <fieldset class="form-section" id={fieldId('intake.conditions')} tabIndex={-1}>
        <legend>Conditions (current or past)</legend>
        {errors['intake.conditions'] ? <p class="field-error">{errors['intake.conditions']}</p> : null}
        <div class="checkbox-grid">
          {vocabularyOptions(vocabulary.conditions).map((c) => (
            <Checkbox
              key={c.value}
              id={fieldId(`intake.conditions.${c.value}`)}
              label={c.label}
              checked={values.conditions.includes(c.value)}
              onChange={(on) => set('conditions')(toggle(values.conditions, c.value, on))}
            />
          ))}
        </div>
        {Object.entries(errors)
          .filter(([k]) => /^intake\.conditions\[\d+\]$/.test(k))
          .map(([k, v]) => (
            <p key={k} id={fieldId(k)} tabIndex={-1} class="field-error">
              {v}
            </p>
          ))}
      </fieldset>

      <fieldset class="form-section">
        <legend>History and goals</legend>
        <div class="grid">
          {area('intake.medical_history_notes', 'medical_history_notes')}
          {area('intake.psychiatric_history_notes', 'psychiatric_history_notes')}
          {area('intake.goals', 'goals')}
        </div>
      </fieldset>

      <RowsFieldset
        name="intake.substance_use"
        legend="Substance use"
        itemLabel="Substance"
        emptyText="No substance use entered."
        rows={values.substance_use}
        onRows={set('substance_use')}
        emptyRow={emptySubstanceUse}
        errors={errors}
        columns={[
          { key: 'substance', label: 'Substance', required: true, options: vocabularyOptions(vocabulary.substances) },
          { key: 'pattern', label: 'Pattern of use', required: true, options: vocabularyOptions(vocabulary.substance_use_patterns) },
          { key: 'notes', label: 'Notes', wide: true },
        ]}
      />
      <MedicationRows rows={values.medications} onRows={set('medications')} errors={errors} vocabulary={vocabulary} />
      <RowsFieldset
        name="intake.allergies"
        legend="Allergies and hypersensitivities"
        itemLabel="Allergy"
        emptyText="No allergies entered."
        rows={values.allergies}
        onRows={set('allergies')}
        emptyRow={emptyAllergy}
        errors={errors}
        columns={[
          { key: 'substance', label: 'Substance', required: true },
          { key: 'category', label: 'Allergy to', required: true, options: vocabularyOptions(vocabulary.hypersensitivity_categories) },
          { key: 'reaction', label: 'Reaction' },
        ]}
      />

      <fieldset class="form-section">
        <legend>Baseline vital signs</legend>
        <div class="grid grid--compact">
          {VITALS.map((v) => (
            <TextField
              key={v.key}
              id={fieldId(`intake.vitals.${v.key}`)}
              label={`${v.label} (${v.unit})`}
              inputMode="numeric"
              value={values.vitals[v.key]}
              onValue={(value) => setValues((old) => ({ ...old, vitals: { ...old.vitals, [v.key]: value } }))}
              error={errors[`intake.vitals.${v.key}`]}
            />
          ))}
        </div>
      </fieldset>

      {amending ? (
        <TextAreaField
          id={fieldId('reason')}
          label="Reason for amendment"
          required
          hint="Kept with this version in the intake history."
          value={reason}
          onValue={setReason}
          error={errors['reason']}
          rows={2}
        />
      ) : null}
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          {busy ? 'Saving…' : amending ? 'Save amended intake' : 'Save intake'}
        </button>
        <button type="button" class="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function IntakeSummary({ intake, vocabulary }: { intake: IntakeDocument; vocabulary: IntakeVocabulary }) {
  const v = intake.vitals ?? {};
  const vitals = [
    v.systolic_mmhg !== undefined ? `BP ${v.systolic_mmhg}/${v.diastolic_mmhg} mmHg` : '',
    v.heart_rate_bpm !== undefined ? `HR ${v.heart_rate_bpm}/min` : '',
    v.spo2_percent !== undefined ? `SpO₂ ${v.spo2_percent}%` : '',
    v.respiratory_rate_per_min !== undefined ? `RR ${v.respiratory_rate_per_min}/min` : '',
  ].filter(Boolean);
  const none = <span class="muted">None recorded</span>;
  return (
    <dl class="details">
      <dt>Age</dt>
      <dd>{intake.age_years !== undefined ? `${intake.age_years} years` : none}</dd>
      <dt>Weight</dt>
      <dd>{intake.weight_kg !== undefined ? `${intake.weight_kg} kg` : none}</dd>
      <dt>Conditions</dt>
      <dd>{intake.conditions?.length ? intake.conditions.map((c) => labelFor(vocabulary.conditions, c)).join('; ') : none}</dd>
      <dt>Medications</dt>
      <dd>
        {intake.medications?.length ? (
          <ul class="plain-list">
            {intake.medications.map((m, i) => (
              <li key={i}>
                {m.name}
                {m.daily_dose_mg !== undefined ? ` ${m.daily_dose_mg} mg/day` : ''}
                {m.classes?.length ? ` (${m.classes.map((c) => labelFor(vocabulary.medication_classes, c)).join(', ')})` : ''}
                {m.diazepam_equivalent_mg_per_day !== undefined ? `, diazepam equivalent ${m.diazepam_equivalent_mg_per_day} mg/day` : ''}
              </li>
            ))}
          </ul>
        ) : (
          none
        )}
      </dd>
      <dt>Allergies</dt>
      <dd>
        {intake.allergies?.length
          ? intake.allergies
              .map((a) => `${a.substance} (${labelFor(vocabulary.hypersensitivity_categories, a.category)})${a.reaction ? `: ${a.reaction}` : ''}`)
              .join('; ')
          : none}
      </dd>
      <dt>Substance use</dt>
      <dd>
        {intake.substance_use?.length
          ? intake.substance_use
              .map((u) => `${labelFor(vocabulary.substances, u.substance)}: ${labelFor(vocabulary.substance_use_patterns, u.pattern)}${u.notes ? ` (${u.notes})` : ''}`)
              .join('; ')
          : none}
      </dd>
      <dt>Baseline vitals</dt>
      <dd>{vitals.length ? vitals.join(', ') : none}</dd>
      {intake.medical_history_notes ? (
        <>
          <dt>Medical history</dt>
          <dd class="prewrap">{intake.medical_history_notes}</dd>
        </>
      ) : null}
      {intake.psychiatric_history_notes ? (
        <>
          <dt>Psychiatric history</dt>
          <dd class="prewrap">{intake.psychiatric_history_notes}</dd>
        </>
      ) : null}
      {intake.goals ? (
        <>
          <dt>Goals</dt>
          <dd class="prewrap">{intake.goals}</dd>
        </>
      ) : null}
      {intake.referring_provider ? (
        <>
          <dt>Referring provider</dt>
          <dd>{intake.referring_provider}</dd>
        </>
      ) : null}
    </dl>
  );
}

export function IntakePanel({ patientId, vocabulary, canWrite, refreshKey, onChanged }: {
  patientId: string;
  vocabulary: IntakeVocabulary;
  canWrite: boolean;
  refreshKey: number;
  onChanged: () => void;
}) {
  const [versions, setVersions] = useState<IntakeVersion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    listIntakes(patientId).then(
      (list) => {
        setVersions(list);
        setError(null);
      },
      (e) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [patientId, refreshKey]);

  const latest = versions?.[0] ?? null;
  return (
    <section class="card card--wide" aria-labelledby="intake-title">
      <div class="section-header">
        <h2 id="intake-title" tabIndex={-1}>Intake</h2>
        {canWrite && versions && !editing ? (
          <button type="button" class="button" onClick={() => { setEditing(true); setNotice(null); }}>
            {latest ? 'Amend intake' : 'Record intake'}
          </button>
        ) : null}
      </div>
      {error ? <ErrorAlert message={error} /> : null}
      {notice ? <Notice message={notice} /> : null}
      {!versions && !error ? <Loading what="intake" /> : null}
      {versions && !latest && !editing ? <p class="muted">No intake recorded yet.</p> : null}
      {latest && !editing ? (
        <>
          <p>
            Version {latest.version}, recorded {dateTime(latest.recorded_at)} by {latest.recorded_by}.
          </p>
          <IntakeSummary intake={latest.intake} vocabulary={vocabulary} />
        </>
      ) : null}
      {editing ? (
        <IntakeForm
          patientId={patientId}
          latest={latest}
          vocabulary={vocabulary}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            const again = saved.reevaluated_decisions?.length ?? 0;
            setNotice(
              `Intake version ${saved.version} saved.${again ? ` Eligibility was evaluated again for ${again} ${again === 1 ? 'protocol' : 'protocols'}; check the decision below.` : ''}`,
            );
            onChanged();
            setTimeout(() => document.getElementById('intake-title')?.focus(), 0);
          }}
        />
      ) : null}
      {versions && versions.length > 0 ? (
        <details class="history">
          <summary>Intake history ({versions.length} {versions.length === 1 ? 'version' : 'versions'})</summary>
          <ol class="plain-list">
            {versions.map((v) => (
              <li key={String(v.id)}>
                Version {v.version}: {dateTime(v.recorded_at)} by {v.recorded_by}
                {v.reason ? ` — ${v.reason}` : ''}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </section>
  );
}
