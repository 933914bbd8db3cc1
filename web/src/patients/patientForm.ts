// The patient form's values, their validation, and conversion to and from the API's
// patient document. Blank optional fields and blank list rows are left out of the document.
import type { Allergy, AllergySeverity, Diagnosis, Medication, Patient, PatientDocument, Sex } from '../api/types';
import { digitsOnly, email, icd10, isBlank, pastDate, required } from '../lib/validation';

export interface AllergyRow {
  substance: string;
  reaction: string;
  severity: AllergySeverity | '';
}

export interface MedicationRow {
  name: string;
  rxnorm_code: string;
}

export interface DiagnosisRow {
  icd10_code: string;
  description: string;
}

export interface PatientFormValues {
  mrn: string;
  family_name: string;
  given_names: string;
  birth_date: string;
  sex: Sex | '';
  gender_identity: string;
  pronouns: string;
  phone: string;
  email: string;
  address: string;
  emergency_contact: { name: string; relationship: string; phone: string };
  referring_provider: { name: string; organization: string; phone: string };
  allergies: AllergyRow[];
  medications: MedicationRow[];
  diagnoses: DiagnosisRow[];
}

/** Errors keyed by field path: "birth_date", "emergency_contact.phone", "allergies[0].substance". */
export type FieldErrors = Record<string, string>;

export const SEX_OPTIONS: readonly { value: Sex; label: string }[] = [
  { value: 'female', label: 'Female' },
  { value: 'male', label: 'Male' },
  { value: 'intersex', label: 'Intersex' },
  { value: 'unknown', label: 'Unknown' },
];

export const SEVERITY_OPTIONS: readonly { value: AllergySeverity; label: string }[] = [
  { value: 'mild', label: 'Mild' },
  { value: 'moderate', label: 'Moderate' },
  { value: 'severe', label: 'Severe' },
  { value: 'unknown', label: 'Unknown' },
];

export function emptyAllergy(): AllergyRow {
  return { substance: '', reaction: '', severity: '' };
}

export function emptyMedication(): MedicationRow {
  return { name: '', rxnorm_code: '' };
}

export function emptyDiagnosis(): DiagnosisRow {
  return { icd10_code: '', description: '' };
}

export function emptyPatientForm(): PatientFormValues {
  return {
    mrn: '',
    family_name: '',
    given_names: '',
    birth_date: '',
    sex: '',
    gender_identity: '',
    pronouns: '',
    phone: '',
    email: '',
    address: '',
    emergency_contact: { name: '', relationship: '', phone: '' },
    referring_provider: { name: '', organization: '', phone: '' },
    allergies: [],
    medications: [],
    diagnoses: [],
  };
}

const text = (value: string | null | undefined): string => value ?? '';

export function patientToForm(p: Patient): PatientFormValues {
  return {
    mrn: text(p.mrn),
    family_name: text(p.family_name),
    given_names: text(p.given_names),
    birth_date: text(p.birth_date),
    sex: p.sex ?? '',
    gender_identity: text(p.gender_identity),
    pronouns: text(p.pronouns),
    phone: text(p.phone),
    email: text(p.email),
    address: text(p.address),
    emergency_contact: {
      name: text(p.emergency_contact?.name),
      relationship: text(p.emergency_contact?.relationship),
      phone: text(p.emergency_contact?.phone),
    },
    referring_provider: {
      name: text(p.referring_provider?.name),
      organization: text(p.referring_provider?.organization),
      phone: text(p.referring_provider?.phone),
    },
    allergies: (p.allergies ?? []).map((a) => ({ substance: a.substance, reaction: text(a.reaction), severity: a.severity ?? '' })),
    medications: (p.medications ?? []).map((m) => ({ name: m.name, rxnorm_code: text(m.rxnorm_code) })),
    diagnoses: (p.diagnoses ?? []).map((d) => ({ icd10_code: d.icd10_code, description: text(d.description) })),
  };
}

function rowIsBlank(row: object): boolean {
  return Object.values(row).every((value) => isBlank(value as string));
}

/** Copies the non-blank, trimmed string fields of an object; undefined when all are blank. */
function compact<T extends Record<string, string>>(values: T): Partial<T> | undefined {
  const out: Partial<T> = {};
  let any = false;
  for (const [key, value] of Object.entries(values) as [keyof T, string][]) {
    if (!isBlank(value)) {
      out[key] = value.trim() as T[keyof T];
      any = true;
    }
  }
  return any ? out : undefined;
}

/** The API document for these form values (call after validatePatientForm passes). */
export function formToPatientDocument(v: PatientFormValues): PatientDocument {
  const doc: PatientDocument = {
    family_name: v.family_name.trim(),
    given_names: v.given_names.trim(),
    birth_date: v.birth_date.trim(),
    sex: (v.sex || 'unknown') as Sex,
    allergies: v.allergies.filter((r) => !rowIsBlank(r)).map((r): Allergy => {
      const allergy: Allergy = { substance: r.substance.trim(), severity: (r.severity || 'unknown') as AllergySeverity };
      if (!isBlank(r.reaction)) allergy.reaction = r.reaction.trim();
      return allergy;
    }),
    medications: v.medications.filter((r) => !rowIsBlank(r)).map((r): Medication => {
      const medication: Medication = { name: r.name.trim() };
      if (!isBlank(r.rxnorm_code)) medication.rxnorm_code = r.rxnorm_code.trim();
      return medication;
    }),
    diagnoses: v.diagnoses
      .filter((r) => !rowIsBlank(r))
      .map((r): Diagnosis => ({ icd10_code: r.icd10_code.trim().toUpperCase(), description: r.description.trim() })),
  };
  const optional = compact({
    mrn: v.mrn,
    gender_identity: v.gender_identity,
    pronouns: v.pronouns,
    phone: v.phone,
    email: v.email,
    address: v.address,
  });
  Object.assign(doc, optional);
  const emergency = compact(v.emergency_contact);
  if (emergency) doc.emergency_contact = emergency;
  const referrer = compact(v.referring_provider);
  if (referrer) doc.referring_provider = referrer;
  return doc;
}

/** Client-side hints: required fields, date and code formats. Empty result means "send it". */
export function validatePatientForm(v: PatientFormValues, today: string): FieldErrors {
  const errors: FieldErrors = {};
  const put = (path: string, message: string | null) => {
    if (message) errors[path] = message;
  };
  put('family_name', required(v.family_name, 'Family name'));
  put('given_names', required(v.given_names, 'Given names'));
  put('birth_date', required(v.birth_date, 'Birth date') ?? pastDate(v.birth_date, 'Birth date', today));
  put('sex', v.sex ? null : 'Sex is required.');
  put('email', email(v.email));
  if (!rowIsBlank(v.emergency_contact)) {
    put('emergency_contact.name', required(v.emergency_contact.name, 'Emergency contact name'));
    put('emergency_contact.phone', required(v.emergency_contact.phone, 'Emergency contact phone'));
  }
  if (!rowIsBlank(v.referring_provider)) {
    put('referring_provider.name', required(v.referring_provider.name, 'Referring provider name'));
  }
  v.allergies.forEach((row, i) => {
    if (rowIsBlank(row)) return;
    put(`allergies[${i}].substance`, required(row.substance, 'Substance'));
    put(`allergies[${i}].severity`, row.severity ? null : 'Severity is required (choose Unknown if not known).');
  });
  v.medications.forEach((row, i) => {
    if (rowIsBlank(row)) return;
    put(`medications[${i}].name`, required(row.name, 'Medication'));
    put(`medications[${i}].rxnorm_code`, digitsOnly(row.rxnorm_code, 'RxNorm code'));
  });
  v.diagnoses.forEach((row, i) => {
    if (rowIsBlank(row)) return;
    put(`diagnoses[${i}].icd10_code`, required(row.icd10_code, 'ICD-10 code') ?? icd10(row.icd10_code));
    put(`diagnoses[${i}].description`, required(row.description, 'Description'));
  });
  return errors;
}

/**
 * The form path for a server error's `field`: "allergies.0.substance", "allergies/0/substance"
 * and "allergies[0].substance" all become "allergies[0].substance".
 */
export function fieldPath(field: string): string {
  let path = '';
  for (const part of field.split(/[./[\]]+/).filter(Boolean)) {
    path += /^\d+$/.test(part) ? `[${part}]` : path ? `.${part}` : part;
  }
  return path;
}
