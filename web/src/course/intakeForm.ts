// The intake form's values, their validation and their conversion to and from the intake
// document the server reads strictly (src/clinical/intake/intake.cpp ReadIntake). Blank
// optional fields and blank rows are left out. Error keys are full field paths under
// "intake." ("intake.vitals.diastolic_mmhg", "intake.medications[0].classes"), the same
// paths the server names, so a server error lands next to the field it names.
import type { IntakeDocument, IntakeMedication, IntakeVersion, IntakeVocabulary, VocabularyEntry } from '../api/types';
import { fieldPath } from '../patients/patientForm';
import { isBlank, parseDecimal } from '../lib/validation';

export interface SubstanceUseRow {
  substance: string;
  pattern: string;
  notes: string;
}

export interface MedicationRow {
  name: string;
  rxnorm: string;
  daily_dose_mg: string;
  classes: string[];
  diazepam_equivalent_mg_per_day: string;
}

export interface AllergyRow {
  substance: string;
  reaction: string;
  category: string;
}

export interface VitalsValues {
  systolic_mmhg: string;
  diastolic_mmhg: string;
  heart_rate_bpm: string;
  spo2_percent: string;
  respiratory_rate_per_min: string;
}

export interface IntakeFormValues {
  age_years: string;
  weight_kg: string;
  conditions: string[];
  medical_history_notes: string;
  psychiatric_history_notes: string;
  substance_use: SubstanceUseRow[];
  medications: MedicationRow[];
  allergies: AllergyRow[];
  vitals: VitalsValues;
  goals: string;
  referring_provider: string;
}

export type FieldErrors = Record<string, string>;

export const BENZODIAZEPINE = 'benzodiazepine';

export const VITALS: readonly { key: keyof VitalsValues; label: string; min: number; max: number; unit: string }[] = [
  { key: 'systolic_mmhg', label: 'Systolic blood pressure', min: 40, max: 300, unit: 'mmHg' },
  { key: 'diastolic_mmhg', label: 'Diastolic blood pressure', min: 20, max: 200, unit: 'mmHg' },
  { key: 'heart_rate_bpm', label: 'Heart rate', min: 20, max: 250, unit: 'beats/min' },
  { key: 'spo2_percent', label: 'SpO₂', min: 50, max: 100, unit: '%' },
  { key: 'respiratory_rate_per_min', label: 'Respiratory rate', min: 2, max: 80, unit: 'breaths/min' },
];

export function emptySubstanceUse(): SubstanceUseRow {
  return { substance: '', pattern: '', notes: '' };
}

export function emptyMedication(): MedicationRow {
  return { name: '', rxnorm: '', daily_dose_mg: '', classes: [], diazepam_equivalent_mg_per_day: '' };
}

export function emptyAllergy(): AllergyRow {
  return { substance: '', reaction: '', category: '' };
}

export function emptyIntakeForm(): IntakeFormValues {
  return {
    age_years: '',
    weight_kg: '',
    conditions: [],
    medical_history_notes: '',
    psychiatric_history_notes: '',
    substance_use: [],
    medications: [],
    allergies: [],
    vitals: { systolic_mmhg: '', diastolic_mmhg: '', heart_rate_bpm: '', spo2_percent: '', respiratory_rate_per_min: '' },
    goals: '',
    referring_provider: '',
  };
}

const numberText = (value: number | undefined) => (value === undefined || value === null ? '' : String(value));

/** The form prefilled from a recorded intake (for an amendment). */
export function intakeToForm(intake: IntakeDocument): IntakeFormValues {
  const empty = emptyIntakeForm();
  const vitals = intake.vitals ?? {};
  return {
    age_years: numberText(intake.age_years),
    weight_kg: numberText(intake.weight_kg),
    conditions: [...(intake.conditions ?? [])],
    medical_history_notes: intake.medical_history_notes ?? '',
    psychiatric_history_notes: intake.psychiatric_history_notes ?? '',
    substance_use: (intake.substance_use ?? []).map((u) => ({ substance: u.substance, pattern: u.pattern, notes: u.notes ?? '' })),
    medications: (intake.medications ?? []).map((m) => ({
      name: m.name,
      rxnorm: m.rxnorm ?? '',
      daily_dose_mg: numberText(m.daily_dose_mg),
      classes: [...(m.classes ?? [])],
      diazepam_equivalent_mg_per_day: numberText(m.diazepam_equivalent_mg_per_day),
    })),
    allergies: (intake.allergies ?? []).map((a) => ({ substance: a.substance, reaction: a.reaction ?? '', category: a.category })),
    vitals: {
      ...empty.vitals,
      systolic_mmhg: numberText(vitals.systolic_mmhg),
      diastolic_mmhg: numberText(vitals.diastolic_mmhg),
      heart_rate_bpm: numberText(vitals.heart_rate_bpm),
      spo2_percent: numberText(vitals.spo2_percent),
      respiratory_rate_per_min: numberText(vitals.respiratory_rate_per_min),
    },
    goals: intake.goals ?? '',
    referring_provider: intake.referring_provider ?? '',
  };
}

const isBlankSubstanceUse = (r: SubstanceUseRow) => isBlank(r.substance) && isBlank(r.pattern) && isBlank(r.notes);
const isBlankMedication = (r: MedicationRow) =>
  isBlank(r.name) && isBlank(r.rxnorm) && isBlank(r.daily_dose_mg) && r.classes.length === 0 && isBlank(r.diazepam_equivalent_mg_per_day);
const isBlankAllergy = (r: AllergyRow) => isBlank(r.substance) && isBlank(r.reaction) && isBlank(r.category);

function wholeNumber(value: string): number | null {
  const text = value.trim();
  return /^\d+$/.test(text) ? Number(text) : null;
}

function checkInteger(errors: FieldErrors, path: string, value: string, label: string, min: number, max: number, unit: string) {
  if (isBlank(value)) return;
  const n = wholeNumber(value);
  if (n === null) errors[path] = `${label} must be a whole number.`;
  else if (n < min || n > max) errors[path] = `${label} must be between ${min} and ${max} ${unit}.`;
}

function checkDecimal(errors: FieldErrors, path: string, value: string, label: string, min: number, max: number, unit: string) {
  if (isBlank(value)) return;
  const n = parseDecimal(value);
  if (n === null) errors[path] = `${label} must be a number.`;
  else if (n < min || n > max) errors[path] = `${label} must be between ${min} and ${max} ${unit}.`;
}

/** Early hints before the server's strict reader; keyed by "intake.…" field paths. */
export function validateIntakeForm(values: IntakeFormValues): FieldErrors {
  const errors: FieldErrors = {};
  checkInteger(errors, 'intake.age_years', values.age_years, 'Age', 0, 130, 'years');
  checkDecimal(errors, 'intake.weight_kg', values.weight_kg, 'Weight', 0.5, 700, 'kg');
  for (const v of VITALS) checkInteger(errors, `intake.vitals.${v.key}`, values.vitals[v.key], v.label, v.min, v.max, v.unit);
  const systolic = values.vitals.systolic_mmhg;
  const diastolic = values.vitals.diastolic_mmhg;
  if (isBlank(systolic) !== isBlank(diastolic)) {
    const missing = isBlank(systolic) ? 'systolic_mmhg' : 'diastolic_mmhg';
    errors[`intake.vitals.${missing}`] = 'Enter both blood-pressure values, or neither.';
  } else if (!errors['intake.vitals.systolic_mmhg'] && !errors['intake.vitals.diastolic_mmhg'] && !isBlank(systolic)) {
    if (Number(diastolic) >= Number(systolic)) errors['intake.vitals.diastolic_mmhg'] = 'Diastolic must be below the systolic pressure.';
  }

  values.substance_use.forEach((row, i) => {
    if (isBlankSubstanceUse(row)) return;
    const p = `intake.substance_use[${i}]`;
    if (isBlank(row.substance)) errors[`${p}.substance`] = 'Choose the substance.';
    if (isBlank(row.pattern)) errors[`${p}.pattern`] = 'Choose the pattern of use.';
  });
  values.medications.forEach((row, i) => {
    if (isBlankMedication(row)) return;
    const p = `intake.medications[${i}]`;
    if (isBlank(row.name)) errors[`${p}.name`] = 'Medication name is required.';
    if (!isBlank(row.rxnorm) && !/^\d+$/.test(row.rxnorm.trim())) errors[`${p}.rxnorm`] = 'RxNorm code must contain digits only.';
    checkDecimal(errors, `${p}.daily_dose_mg`, row.daily_dose_mg, 'Daily dose', 0, 100000, 'mg');
    checkDecimal(errors, `${p}.diazepam_equivalent_mg_per_day`, row.diazepam_equivalent_mg_per_day, 'Diazepam equivalent', 0, 10000, 'mg/day');
    if (!isBlank(row.diazepam_equivalent_mg_per_day) && !row.classes.includes(BENZODIAZEPINE)) {
      errors[`${p}.diazepam_equivalent_mg_per_day`] = 'A diazepam equivalent is only recorded for a benzodiazepine.';
    }
  });
  values.allergies.forEach((row, i) => {
    if (isBlankAllergy(row)) return;
    const p = `intake.allergies[${i}]`;
    if (isBlank(row.substance)) errors[`${p}.substance`] = 'Substance is required.';
    if (isBlank(row.category)) errors[`${p}.category`] = 'Choose what the allergy is to.';
  });
  return errors;
}

function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined) {
  if (value !== undefined) target[key] = value;
}

const trimmed = (value: string) => (isBlank(value) ? undefined : value.trim());
const decimal = (value: string) => (isBlank(value) ? undefined : (parseDecimal(value) ?? undefined));
const integer = (value: string) => (isBlank(value) ? undefined : (wholeNumber(value) ?? undefined));

/** The intake document for POST /patients/{id}/intakes (call after validateIntakeForm passes). */
export function formToIntakeDocument(values: IntakeFormValues): IntakeDocument {
  const doc: IntakeDocument = {};
  put(doc, 'age_years', integer(values.age_years));
  put(doc, 'weight_kg', decimal(values.weight_kg));
  if (values.conditions.length) doc.conditions = [...values.conditions];
  put(doc, 'medical_history_notes', trimmed(values.medical_history_notes));
  put(doc, 'psychiatric_history_notes', trimmed(values.psychiatric_history_notes));
  const uses = values.substance_use.filter((r) => !isBlankSubstanceUse(r));
  if (uses.length) {
    doc.substance_use = uses.map((r) => {
      const use: { substance: string; pattern: string; notes?: string } = { substance: r.substance, pattern: r.pattern };
      put(use, 'notes', trimmed(r.notes));
      return use;
    });
  }
  const medications = values.medications.filter((r) => !isBlankMedication(r));
  if (medications.length) {
    doc.medications = medications.map((r) => {
      const m: IntakeMedication = { name: r.name.trim(), classes: [...r.classes] };
      put(m, 'rxnorm', trimmed(r.rxnorm));
      put(m, 'daily_dose_mg', decimal(r.daily_dose_mg));
      if (r.classes.includes(BENZODIAZEPINE)) put(m, 'diazepam_equivalent_mg_per_day', decimal(r.diazepam_equivalent_mg_per_day));
      return m;
    });
  }
  const allergies = values.allergies.filter((r) => !isBlankAllergy(r));
  if (allergies.length) {
    doc.allergies = allergies.map((r) => {
      const a: { substance: string; category: string; reaction?: string } = { substance: r.substance.trim(), category: r.category };
      put(a, 'reaction', trimmed(r.reaction));
      return a;
    });
  }
  const vitals: Record<string, number> = {};
  for (const v of VITALS) {
    const n = integer(values.vitals[v.key]);
    if (n !== undefined) vitals[v.key] = n;
  }
  if (Object.keys(vitals).length) doc.vitals = vitals;
  put(doc, 'goals', trimmed(values.goals));
  put(doc, 'referring_provider', trimmed(values.referring_provider));
  return doc;
}

/** The form's error key for a server field: "vitals.diastolic_mmhg" and "intake.vitals.diastolic_mmhg" both name the same field. */
export function intakeErrorPath(field: string): string {
  const path = fieldPath(field);
  if (path === 'reason' || path.startsWith('intake.') || path === 'intake') return path;
  return `intake.${path}`;
}

/** A vocabulary word's code and a readable label ("aneurysmal_vascular_disease" → "Aneurysmal vascular disease"). */
export function vocabularyOption(entry: VocabularyEntry): { value: string; label: string } {
  if (typeof entry === 'string') return { value: entry, label: humanize(entry) };
  return { value: entry.code, label: entry.display?.trim() ? entry.display : humanize(entry.code) };
}

export function vocabularyOptions(entries: readonly VocabularyEntry[] | undefined): { value: string; label: string }[] {
  return (entries ?? []).map(vocabularyOption);
}

const WORDS: Record<string, string> = {
  cns: 'CNS',
  maoi: 'MAOI',
  cyp2b6: 'CYP2B6',
  cyp3a4: 'CYP3A4',
  bp: 'BP',
  ivf: 'IVF',
  '24h': '24 h',
};

export function humanize(code: string): string {
  const words = code.split('_').filter(Boolean).map((w) => WORDS[w] ?? w);
  const text = words.join(' ');
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : code;
}

/** A label lookup for codes (for summaries of a recorded intake). */
export function labelFor(entries: readonly VocabularyEntry[] | undefined, code: string): string {
  const match = (entries ?? []).map(vocabularyOption).find((o) => o.value === code);
  return match ? match.label : humanize(code);
}

export function emptyVocabulary(): IntakeVocabulary {
  return { conditions: [], medication_classes: [], hypersensitivity_categories: [], substances: [], substance_use_patterns: [] };
}

/** The reason an amendment needs: every version after the first. */
export function needsReason(latest: IntakeVersion | null): boolean {
  return latest !== null;
}
