// Tests of the REMS views' logic: the deadline phrase and tone, field kinds, form values from
// the pre-fill or the latest submission, the submission body with its format errors, and
// where a server refusal is shown.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { RemsFormField, RemsSubmission } from '../api/rems';
import {
  answerLabel,
  daysLeft,
  deadlineLabel,
  deadlineTone,
  fieldKind,
  initialValues,
  placeRemsError,
  protocolHasRems,
  splitTracker,
  submissionBody,
  utcDate,
} from './remsLogic';

const FIELDS: RemsFormField[] = [
  { id: 'concomitant_benzodiazepines', label: 'Concomitant benzodiazepines', value: true, basis: 'the intake' },
  { id: 'dose', label: 'Dose', value: '84 mg', basis: 'the dose order' },
  { id: 'lot_number', label: 'Lot number', value: null, basis: null },
  { id: 'total_minutes', label: 'Total minutes', value: 125, basis: 'start and discharge times' },
  { id: 'vitals_acceptable_at_completion', label: 'Vitals at completion', value: null, basis: null },
];
const META = { submitted_on: '2026-03-18', confirmation: ' PMF-77 ', reason: '' };

describe('deadline', () => {
  it('counts calendar days in UTC across month ends and leap days', () => {
    expect(daysLeft('2026-03-17', '2026-03-10')).toBe(7);
    expect(daysLeft('2026-03-02', '2026-02-28')).toBe(2);
    expect(daysLeft('2024-03-01', '2024-02-28')).toBe(2);
    expect(daysLeft('2026-03-17', '2026-03-19')).toBe(-2);
    expect(daysLeft('soon', '2026-03-19')).toBeNull();
    expect(utcDate(Date.UTC(2026, 2, 10, 23, 59))).toBe('2026-03-10');
  });

  it('says days left, due today, days overdue, or when it was submitted', () => {
    expect(deadlineLabel('open', 7)).toBe('7 days left');
    expect(deadlineLabel('open', 1)).toBe('1 day left');
    expect(deadlineLabel('open', 0)).toBe('due today');
    expect(deadlineLabel('overdue', -1)).toBe('1 day overdue');
    expect(deadlineLabel('overdue', -3)).toBe('3 days overdue');
    expect(deadlineLabel('submitted', -3, '2026-03-18')).toBe('submitted on 2026-03-18');
    expect(deadlineLabel('overdue', null)).toBe('overdue');
  });

  it('marks overdue forms and those due within two days', () => {
    expect(deadlineTone('overdue', -1)).toBe('overdue');
    expect(deadlineTone('open', -1)).toBe('overdue');
    expect(deadlineTone('open', 2)).toBe('soon');
    expect(deadlineTone('open', 0)).toBe('soon');
    expect(deadlineTone('open', 3)).toBe('ok');
    expect(deadlineTone('submitted', -5)).toBe('done');
  });
});

describe('fields', () => {
  it('knows the form fields and reads unknown ones from their value', () => {
    expect(fieldKind({ id: 'sedation', value: null })).toBe('yes_no');
    expect(fieldKind({ id: 'ready_to_leave_minutes', value: null })).toBe('minutes');
    expect(fieldKind({ id: 'lot_number', value: null })).toBe('text');
    expect(fieldKind({ id: 'new_question', value: false })).toBe('yes_no');
    expect(fieldKind({ id: 'new_count', value: 3 })).toBe('minutes');
    expect(answerLabel(false, 'yes_no')).toBe('No');
    expect(answerLabel(125, 'minutes')).toBe('125 min');
    expect(answerLabel(null, 'text')).toBe('—');
  });

  it('starts from the pre-filled values, or from the latest submission for a correction', () => {
    expect(initialValues({ fields: FIELDS, submissions: [] })).toEqual({
      concomitant_benzodiazepines: 'yes', dose: '84 mg', lot_number: '', total_minutes: '125', vitals_acceptable_at_completion: '',
    });
    const submitted: RemsSubmission[] = [1, 2].map((id) => ({
      id, amends_id: id === 2 ? 1 : null, submitted_on: '2026-03-18', confirmation: 'X', recorded_at: '', recorded_by: 'n', reason: '',
      answers: { concomitant_benzodiazepines: false, dose: '84 mg', lot_number: `LOT-${id}`, total_minutes: 125, vitals_acceptable_at_completion: true },
    }));
    const values = initialValues({ fields: FIELDS, submissions: submitted });
    expect(values.lot_number).toBe('LOT-2');
    expect(values.concomitant_benzodiazepines).toBe('no');
  });
});

describe('submissionBody', () => {
  const complete = { concomitant_benzodiazepines: 'yes', dose: '84 mg', lot_number: ' ESK-1 ', total_minutes: '125', vitals_acceptable_at_completion: 'no' };

  it('sends every answer typed, with the confirmation trimmed', () => {
    const built = submissionBody(FIELDS, complete, META, null);
    expect(built.errors).toEqual({});
    expect(built.body).toEqual({
      answers: { concomitant_benzodiazepines: true, dose: '84 mg', lot_number: 'ESK-1', total_minutes: 125, vitals_acceptable_at_completion: false },
      submitted_on: '2026-03-18',
      confirmation: 'PMF-77',
    });
  });

  it('names each unanswered or malformed field before sending', () => {
    const built = submissionBody(FIELDS, { ...complete, lot_number: '', total_minutes: '12.5', vitals_acceptable_at_completion: '' }, { ...META, confirmation: '' }, null);
    expect(built.body).toBeNull();
    expect(built.errors).toEqual({
      'answers.lot_number': 'is required',
      'answers.total_minutes': 'must be a whole number of minutes',
      'answers.vitals_acceptable_at_completion': 'is required',
      confirmation: 'is required (the REMS confirmation)',
    });
    expect(submissionBody(FIELDS, { ...complete, total_minutes: '-5' }, META, null).errors).toEqual({ 'answers.total_minutes': 'must be a whole number of minutes' });
  });

  it('needs a reason for a correction and sends it with the submission it amends', () => {
    expect(submissionBody(FIELDS, complete, { ...META, reason: '  ' }, 4).errors).toEqual({ reason: 'is required for a correction' });
    const built = submissionBody(FIELDS, complete, { ...META, reason: ' lot misread ' }, 4);
    expect(built.body?.amends_id).toBe(4);
    expect(built.body?.reason).toBe('lot misread');
    expect(submissionBody(FIELDS, complete, { ...META, reason: 'ignored' }, null).body).not.toHaveProperty('reason');
  });
});

describe('placeRemsError', () => {
  const ids = FIELDS.map((f) => f.id);

  it('marks every field a refused submission lists as unanswered and keeps the message', () => {
    const error = new ApiError(400, 'invalid_input', 'the form cannot be submitted with fields unanswered: lot_number, vitals_acceptable_at_completion, dissociation', 'answers.lot_number');
    expect(placeRemsError(error, ids)).toEqual({
      fieldErrors: { 'answers.lot_number': 'is required', 'answers.vitals_acceptable_at_completion': 'is required' },
      message: error.message,
    });
  });

  it('puts a field\'s own error beside it and anything else in the alert', () => {
    expect(placeRemsError(new ApiError(400, 'invalid_input', 'must be yes/no, a number or text', 'answers.dose'), ids)).toEqual({
      fieldErrors: { 'answers.dose': 'must be yes/no, a number or text' }, message: null,
    });
    expect(placeRemsError(new ApiError(400, 'invalid_input', 'must not be in the future', 'submitted_on'), ids).fieldErrors).toEqual({ submitted_on: 'must not be in the future' });
    expect(placeRemsError(new ApiError(400, 'invalid_input', 'is required for a correction', 'reason'), ids).fieldErrors).toEqual({ reason: 'is required for a correction' });
    const conflict = new ApiError(409, 'conflict', 'a form was already submitted for this session; a correction names it in amends_id', 'amends_id');
    expect(placeRemsError(conflict, ids)).toEqual({ fieldErrors: {}, message: conflict.message });
    expect(placeRemsError(new ApiError(400, 'invalid_input', 'is not a field of the monitoring form', 'answers.colour'), ids).message).toBe('is not a field of the monitoring form');
    expect(placeRemsError(new Error('Network down'), ids)).toEqual({ fieldErrors: {}, message: 'Network down' });
  });
});

describe('protocolHasRems', () => {
  it('reads the pre-dose check that makes a protocol a REMS one', () => {
    expect(protocolHasRems({ pre_dose: { checks: [{ id: 'fasting' }, { id: 'rems_enrolment' }] } })).toBe(true);
    expect(protocolHasRems({ pre_dose: { checks: [{ id: 'fasting' }] } })).toBe(false);
    expect(protocolHasRems(null)).toBe(false);
  });
});

describe('splitTracker', () => {
  it('lists due forms most urgent first and submitted ones latest first', () => {
    const row = (id: number, status: 'open' | 'overdue' | 'submitted', days_left: number | null, submitted_on: string | null = null) => ({
      id, status, days_left, due_on: `2026-03-${10 + id}`, submitted_on,
    });
    const { due, submitted } = splitTracker([
      row(1, 'open', 5), row(2, 'overdue', -2), row(3, 'submitted', 1, '2026-03-12'), row(4, 'open', 0), row(5, 'submitted', -1, '2026-03-14'), row(6, 'overdue', null),
    ]);
    expect(due.map((r) => r.id)).toEqual([6, 2, 4, 1]);
    expect(submitted.map((r) => r.id)).toEqual([5, 3]);
  });
});
