import { describe, expect, it } from 'vitest';
import { noteFieldErrors, notesDiffer } from './noteLogic';

const fields = { assessment: 'Tolerated well', response: '', plan: '', complications: '' };

describe('the note form', () => {
  it('knows when the form differs from the saved version', () => {
    expect(notesDiffer(fields, { ...fields })).toBe(false);
    expect(notesDiffer(fields, { ...fields, plan: 'Friday' })).toBe(true);
  });
  it('marks every open required field when signing is refused for open fields', () => {
    expect(noteFieldErrors('fields.response', ['response', 'plan'])).toEqual({
      'fields.response': 'is required before signing',
      'fields.plan': 'is required before signing',
    });
    expect(noteFieldErrors('version', ['plan'])).toEqual({});
    expect(noteFieldErrors(null, ['plan'])).toEqual({});
  });
});
