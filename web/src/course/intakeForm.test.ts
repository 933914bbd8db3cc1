// Tests of the intake form: validation hints, conversion to the server's intake document
// (blank rows and fields left out, numbers as numbers) and back, and server error paths.
import { describe, expect, it } from 'vitest';
import {
  emptyIntakeForm,
  emptyMedication,
  formToIntakeDocument,
  humanize,
  intakeErrorPath,
  intakeToForm,
  validateIntakeForm,
  vocabularyOption,
  type IntakeFormValues,
} from './intakeForm';

function filled(): IntakeFormValues {
  const v = emptyIntakeForm();
  return {
    ...v,
    age_years: '40',
    weight_kg: '72,5',
    conditions: ['hypertension'],
    medical_history_notes: '  Appendectomy 2010 ',
    substance_use: [{ substance: 'alcohol', pattern: 'history', notes: '' }, { substance: '', pattern: '', notes: '' }],
    medications: [
      { name: 'Diazepam', rxnorm: '', daily_dose_mg: '10', classes: ['benzodiazepine'], diazepam_equivalent_mg_per_day: '10' },
      emptyMedication(),
    ],
    allergies: [{ substance: 'Penicillin', reaction: '', category: 'other' }],
    vitals: { ...v.vitals, systolic_mmhg: '120', diastolic_mmhg: '80', heart_rate_bpm: '70', spo2_percent: '98' },
    goals: 'Sleep through the night',
  };
}

describe('formToIntakeDocument', () => {
  it('maps the form to the strict intake document, leaving out blank rows and fields', () => {
    expect(formToIntakeDocument(filled())).toEqual({
      age_years: 40,
      weight_kg: 72.5,
      conditions: ['hypertension'],
      medical_history_notes: 'Appendectomy 2010',
      substance_use: [{ substance: 'alcohol', pattern: 'history' }],
      medications: [{ name: 'Diazepam', daily_dose_mg: 10, classes: ['benzodiazepine'], diazepam_equivalent_mg_per_day: 10 }],
      allergies: [{ substance: 'Penicillin', category: 'other' }],
      vitals: { systolic_mmhg: 120, diastolic_mmhg: 80, heart_rate_bpm: 70, spo2_percent: 98 },
      goals: 'Sleep through the night',
    });
    expect(formToIntakeDocument(emptyIntakeForm())).toEqual({});
  });

  it('drops a diazepam equivalent once the benzodiazepine class is unticked', () => {
    const values = filled();
    values.medications = [{ ...values.medications[0]!, classes: ['opioid'] }];
    expect(formToIntakeDocument(values).medications).toEqual([{ name: 'Diazepam', daily_dose_mg: 10, classes: ['opioid'] }]);
  });

  it('round-trips through intakeToForm', () => {
    const doc = formToIntakeDocument(filled());
    expect(formToIntakeDocument(intakeToForm(doc))).toEqual(doc);
  });
});

describe('validateIntakeForm', () => {
  it('accepts a complete intake and an empty one', () => {
    expect(validateIntakeForm(filled())).toEqual({});
    expect(validateIntakeForm(emptyIntakeForm())).toEqual({});
  });

  it('names out-of-range numbers and half a blood pressure', () => {
    const v = filled();
    v.age_years = '40.5';
    v.weight_kg = '0.1';
    v.vitals = { ...v.vitals, systolic_mmhg: '', diastolic_mmhg: '80', spo2_percent: '101' };
    const errors = validateIntakeForm(v);
    expect(errors['intake.age_years']).toMatch(/whole number/);
    expect(errors['intake.weight_kg']).toMatch(/between 0.5 and 700/);
    expect(errors['intake.vitals.systolic_mmhg']).toMatch(/both/);
    expect(errors['intake.vitals.spo2_percent']).toMatch(/between 50 and 100/);
  });

  it('wants diastolic below systolic', () => {
    const v = filled();
    v.vitals = { ...v.vitals, systolic_mmhg: '90', diastolic_mmhg: '95' };
    expect(validateIntakeForm(v)['intake.vitals.diastolic_mmhg']).toMatch(/below the systolic/);
  });

  it('checks rows by index: names, codes, categories, and the diazepam equivalent only for a benzodiazepine', () => {
    const v = filled();
    v.medications = [{ name: '', rxnorm: '12a', daily_dose_mg: '', classes: ['opioid'], diazepam_equivalent_mg_per_day: '5' }];
    v.allergies = [{ substance: 'Ketamine', reaction: 'rash', category: '' }];
    v.substance_use = [{ substance: 'cannabis', pattern: '', notes: 'weekends' }];
    const errors = validateIntakeForm(v);
    expect(errors['intake.medications[0].name']).toBeDefined();
    expect(errors['intake.medications[0].rxnorm']).toMatch(/digits/);
    expect(errors['intake.medications[0].diazepam_equivalent_mg_per_day']).toMatch(/benzodiazepine/);
    expect(errors['intake.allergies[0].category']).toBeDefined();
    expect(errors['intake.substance_use[0].pattern']).toBeDefined();
    expect(errors['intake.substance_use[0].substance']).toBeUndefined();
  });
});

describe('server field paths and vocabulary labels', () => {
  it('puts a server error on the field it names, with or without the "intake." prefix', () => {
    expect(intakeErrorPath('vitals.diastolic_mmhg')).toBe('intake.vitals.diastolic_mmhg');
    expect(intakeErrorPath('intake.medications[0].classes[1]')).toBe('intake.medications[0].classes[1]');
    expect(intakeErrorPath('medications.0.name')).toBe('intake.medications[0].name');
    expect(intakeErrorPath('reason')).toBe('reason');
  });

  it('shows readable labels, preferring the server’s display text', () => {
    expect(vocabularyOption({ code: 'maoi', display: 'Monoamine oxidase inhibitor' })).toEqual({ value: 'maoi', label: 'Monoamine oxidase inhibitor' });
    expect(vocabularyOption('cyp3a4_inhibitor')).toEqual({ value: 'cyp3a4_inhibitor', label: 'CYP3A4 inhibitor' });
    expect(humanize('cannot_abstain_24h')).toBe('Cannot abstain 24 h');
  });
});
