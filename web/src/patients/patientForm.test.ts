// Tests of the patient form: validation hints and conversion to the API document.
import { describe, expect, it } from 'vitest';
import type { Patient } from '../api/types';
import { emptyPatientForm, fieldPath, formToPatientDocument, patientToForm, validatePatientForm, type PatientFormValues } from './patientForm';

const TODAY = '2026-06-01';

function filled(): PatientFormValues {
  return {
    ...emptyPatientForm(),
    family_name: '  Okafor ',
    given_names: 'Adaeze Grace',
    birth_date: '1984-03-09',
    sex: 'female',
  };
}

describe('validatePatientForm', () => {
  it('names every missing required field', () => {
    const errors = validatePatientForm(emptyPatientForm(), TODAY);
    expect(Object.keys(errors).sort()).toEqual(['birth_date', 'family_name', 'given_names', 'sex']);
  });

  it('accepts a minimal patient', () => {
    expect(validatePatientForm(filled(), TODAY)).toEqual({});
  });

  it('rejects an impossible or future birth date', () => {
    expect(validatePatientForm({ ...filled(), birth_date: '1990-02-30' }, TODAY)['birth_date']).toMatch(/real date/);
    expect(validatePatientForm({ ...filled(), birth_date: '2030-01-01' }, TODAY)['birth_date']).toMatch(/future/);
  });

  it('checks list rows by index and ignores blank rows', () => {
    const values: PatientFormValues = {
      ...filled(),
      allergies: [
        { substance: '', reaction: 'rash', severity: '' },
        { substance: '', reaction: '', severity: '' },
      ],
      medications: [{ name: 'sertraline', rxnorm_code: '31x' }],
      diagnoses: [{ icd10_code: 'PTSD', description: '' }],
    };
    const errors = validatePatientForm(values, TODAY);
    expect(errors['allergies[0].substance']).toBeDefined();
    expect(errors['allergies[0].severity']).toBeDefined();
    expect(errors['allergies[1].substance']).toBeUndefined();
    expect(errors['medications[0].rxnorm_code']).toMatch(/digits/);
    expect(errors['diagnoses[0].icd10_code']).toMatch(/ICD-10/);
    expect(errors['diagnoses[0].description']).toBeDefined();
  });

  it('asks for name and phone once an emergency contact is started', () => {
    const errors = validatePatientForm({ ...filled(), emergency_contact: { name: '', relationship: 'sister', phone: '' } }, TODAY);
    expect(errors['emergency_contact.name']).toBeDefined();
    expect(errors['emergency_contact.phone']).toBeDefined();
  });
});

describe('formToPatientDocument', () => {
  it('omits empty optional fields and trims text', () => {
    expect(formToPatientDocument(filled())).toEqual({
      family_name: 'Okafor',
      given_names: 'Adaeze Grace',
      birth_date: '1984-03-09',
      sex: 'female',
      allergies: [],
      medications: [],
      diagnoses: [],
    });
  });

  it('converts every field, dropping blank rows and blank parts', () => {
    const doc = formToPatientDocument({
      ...filled(),
      mrn: 'NRT-000123',
      pronouns: 'she/her',
      phone: '555-0100',
      email: 'a@example.org',
      address: '1 River Rd\nNorth River',
      emergency_contact: { name: 'Chidi Okafor', relationship: 'brother', phone: '' },
      referring_provider: { name: '', organization: '', phone: '' },
      allergies: [
        { substance: 'Penicillin', reaction: 'anaphylaxis', severity: 'severe' },
        { substance: 'Latex', reaction: '', severity: 'mild' },
        { substance: '', reaction: '', severity: '' },
      ],
      medications: [
        { name: 'sertraline 100 mg daily', rxnorm_code: '312940' },
        { name: 'melatonin 3 mg', rxnorm_code: '' },
      ],
      diagnoses: [{ icd10_code: 'f43.10', description: 'Post-traumatic stress disorder, unspecified' }],
    });
    expect(doc).toEqual({
      mrn: 'NRT-000123',
      family_name: 'Okafor',
      given_names: 'Adaeze Grace',
      birth_date: '1984-03-09',
      sex: 'female',
      pronouns: 'she/her',
      phone: '555-0100',
      email: 'a@example.org',
      address: '1 River Rd\nNorth River',
      emergency_contact: { name: 'Chidi Okafor', relationship: 'brother' },
      allergies: [
        { substance: 'Penicillin', reaction: 'anaphylaxis', severity: 'severe' },
        { substance: 'Latex', severity: 'mild' },
      ],
      medications: [{ name: 'sertraline 100 mg daily', rxnorm_code: '312940' }, { name: 'melatonin 3 mg' }],
      diagnoses: [{ icd10_code: 'F43.10', description: 'Post-traumatic stress disorder, unspecified' }],
    });
    expect('referring_provider' in doc).toBe(false);
    expect('gender_identity' in doc).toBe(false);
  });

  it('round-trips a server patient without its server-only fields', () => {
    const patient: Patient = {
      id: 7,
      clinic_id: 1,
      version: 3,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-02-01T00:00:00Z',
      mrn: 'NRT-000007',
      family_name: 'Lee',
      given_names: 'Sam',
      birth_date: '1970-12-31',
      sex: 'unknown',
      allergies: [{ substance: 'Codeine', severity: 'moderate' }],
      medications: [],
      diagnoses: [],
      measurements: [],
      latest_weight: null,
    };
    expect(formToPatientDocument(patientToForm(patient))).toEqual({
      mrn: 'NRT-000007',
      family_name: 'Lee',
      given_names: 'Sam',
      birth_date: '1970-12-31',
      sex: 'unknown',
      allergies: [{ substance: 'Codeine', severity: 'moderate' }],
      medications: [],
      diagnoses: [],
    });
  });
});

describe('fieldPath', () => {
  it('normalises server field names to form paths', () => {
    expect(fieldPath('birth_date')).toBe('birth_date');
    expect(fieldPath('allergies[0].substance')).toBe('allergies[0].substance');
    expect(fieldPath('allergies.0.substance')).toBe('allergies[0].substance');
    expect(fieldPath('/allergies/1/severity')).toBe('allergies[1].severity');
    expect(fieldPath('emergency_contact.phone')).toBe('emergency_contact.phone');
  });
});
