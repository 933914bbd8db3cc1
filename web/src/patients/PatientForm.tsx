// The patient demographic form used to create and to edit a patient. Validates on submit,
// shows client hints and the server's error next to the field it names (error.field).
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import type { PatientDocument } from '../api/types';
import { ErrorSummary } from '../components/ErrorSummary';
import { fieldId, SelectField, TextAreaField, TextField } from '../components/Field';
import { required, todayIso } from '../lib/validation';
import {
  emptyAllergy,
  emptyDiagnosis,
  emptyMedication,
  fieldPath,
  formToPatientDocument,
  SEVERITY_OPTIONS,
  SEX_OPTIONS,
  validatePatientForm,
  type FieldErrors,
  type PatientFormValues,
} from './patientForm';
import { RowsFieldset } from './RowsFieldset';

const LABELS: Record<string, string> = {
  mrn: 'MRN',
  family_name: 'Family name',
  given_names: 'Given names',
  birth_date: 'Birth date',
  sex: 'Sex',
  gender_identity: 'Gender identity',
  pronouns: 'Pronouns',
  phone: 'Phone',
  email: 'Email',
  address: 'Address',
  'emergency_contact.name': 'Emergency contact name',
  'emergency_contact.relationship': 'Emergency contact relationship',
  'emergency_contact.phone': 'Emergency contact phone',
  'referring_provider.name': 'Referring provider name',
  'referring_provider.organization': 'Referring provider organization',
  'referring_provider.phone': 'Referring provider phone',
  change_reason: 'Reason for change',
};

export interface PatientFormProps {
  initial: PatientFormValues;
  submitLabel: string;
  /** Ask for a reason for the change (editing an existing patient). */
  withChangeReason?: boolean;
  /** Saves the document; an ApiError it throws is shown on the form. */
  onSubmit: (document: PatientDocument, changeReason: string) => Promise<void>;
  cancelHref: string;
  notice?: ComponentChildren;
}

export function PatientForm(props: PatientFormProps) {
  const [values, setValues] = useState<PatientFormValues>(props.initial);
  const [changeReason, setChangeReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formMessage, setFormMessage] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);

  const set = <K extends keyof PatientFormValues>(key: K) => (value: PatientFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const setNested =
    (group: 'emergency_contact' | 'referring_provider', key: string) =>
    (value: string) =>
      setValues((v) => ({ ...v, [group]: { ...v[group], [key]: value } }));

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = validatePatientForm(values, todayIso());
    if (props.withChangeReason) {
      const mrnError = required(values.mrn, 'MRN');
      if (mrnError) found['mrn'] = mrnError;
      const reasonError = required(changeReason, 'Reason for change');
      if (reasonError) found['change_reason'] = reasonError;
    }
    setErrors(found);
    setFormMessage(null);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await props.onSubmit(formToPatientDocument(values), changeReason.trim());
    } catch (e) {
      if (e instanceof ApiError && e.field) {
        setErrors({ [fieldPath(e.field)]: e.message });
        setFormMessage('The patient was not saved. Please correct the following:');
      } else {
        setFormMessage(`The patient was not saved: ${e instanceof Error ? e.message : String(e)}`);
      }
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  const text = (path: keyof typeof LABELS, value: string, onValue: (v: string) => void, extra: object = {}) => (
    <TextField id={fieldId(path)} label={LABELS[path]!} value={value} onValue={onValue} error={errors[path]} {...extra} />
  );

  return (
    <form class="patient-form" onSubmit={submit} noValidate>
      {props.notice}
      <ErrorSummary errors={errors} message={formMessage} attempt={attempt} labels={LABELS} />
      <p class="muted">Fields marked (required) must be filled in.</p>

      <fieldset class="form-section">
        <legend>Identity</legend>
        <div class="grid">
          {text('family_name', values.family_name, set('family_name'), { required: true, autoComplete: 'off' })}
          {text('given_names', values.given_names, set('given_names'), { required: true })}
          {text('birth_date', values.birth_date, set('birth_date'), { required: true, type: 'date' })}
          <SelectField
            id={fieldId('sex')}
            label="Sex"
            required
            hint="Sex assigned at birth / administrative sex."
            value={values.sex}
            onValue={(v) => set('sex')(v as PatientFormValues['sex'])}
            options={SEX_OPTIONS}
            placeholder="Choose…"
            error={errors['sex']}
          />
          {text('gender_identity', values.gender_identity, set('gender_identity'))}
          {text('pronouns', values.pronouns, set('pronouns'), { hint: 'For example she/her, they/them.' })}
          {text('mrn', values.mrn, set('mrn'), props.withChangeReason ? { required: true } : { hint: 'Leave blank to have one assigned.' })}
        </div>
      </fieldset>

      <fieldset class="form-section">
        <legend>Contact</legend>
        <div class="grid">
          {text('phone', values.phone, set('phone'), { type: 'tel' })}
          {text('email', values.email, set('email'), { type: 'email' })}
          <TextAreaField
            id={fieldId('address')}
            label="Address"
            value={values.address}
            onValue={set('address')}
            error={errors['address']}
            class="field--wide"
            rows={2}
          />
        </div>
      </fieldset>

      <fieldset class="form-section">
        <legend>Emergency contact</legend>
        <div class="grid">
          {text('emergency_contact.name', values.emergency_contact.name, setNested('emergency_contact', 'name'))}
          {text('emergency_contact.relationship', values.emergency_contact.relationship, setNested('emergency_contact', 'relationship'))}
          {text('emergency_contact.phone', values.emergency_contact.phone, setNested('emergency_contact', 'phone'), { type: 'tel' })}
        </div>
      </fieldset>

      <fieldset class="form-section">
        <legend>Referring provider</legend>
        <div class="grid">
          {text('referring_provider.name', values.referring_provider.name, setNested('referring_provider', 'name'))}
          {text('referring_provider.organization', values.referring_provider.organization, setNested('referring_provider', 'organization'))}
          {text('referring_provider.phone', values.referring_provider.phone, setNested('referring_provider', 'phone'), { type: 'tel' })}
        </div>
      </fieldset>

      <RowsFieldset
        name="allergies"
        legend="Allergies"
        itemLabel="Allergy"
        emptyText="No allergies entered."
        rows={values.allergies}
        onRows={set('allergies')}
        emptyRow={emptyAllergy}
        errors={errors}
        columns={[
          { key: 'substance', label: 'Substance', required: true },
          { key: 'reaction', label: 'Reaction' },
          { key: 'severity', label: 'Severity', required: true, options: SEVERITY_OPTIONS },
        ]}
      />
      <RowsFieldset
        name="medications"
        legend="Medications"
        itemLabel="Medication"
        emptyText="No medications entered."
        rows={values.medications}
        onRows={set('medications')}
        emptyRow={emptyMedication}
        errors={errors}
        columns={[
          { key: 'name', label: 'Medication and dose', required: true, wide: true },
          { key: 'rxnorm_code', label: 'RxNorm code', inputMode: 'numeric', hint: 'Digits only (optional).' },
        ]}
      />
      <RowsFieldset
        name="diagnoses"
        legend="Diagnoses"
        itemLabel="Diagnosis"
        emptyText="No diagnoses entered."
        rows={values.diagnoses}
        onRows={set('diagnoses')}
        emptyRow={emptyDiagnosis}
        errors={errors}
        columns={[
          { key: 'icd10_code', label: 'ICD-10 code', required: true, hint: 'For example F43.10.' },
          { key: 'description', label: 'Description', required: true, wide: true },
        ]}
      />

      {props.withChangeReason ? (
        <fieldset class="form-section">
          <legend>Reason for change</legend>
          <TextAreaField
            id={fieldId('change_reason')}
            label="Reason for change"
            required
            hint="Kept with this version in the patient's history."
            value={changeReason}
            onValue={setChangeReason}
            error={errors['change_reason']}
            rows={2}
          />
        </fieldset>
      ) : null}

      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>
          {busy ? 'Saving…' : props.submitLabel}
        </button>
        <a class="button button--secondary" href={props.cancelHref}>
          Cancel
        </a>
      </div>
    </form>
  );
}
