// Tests of the audit filter conversion (whole local days -> ISO instants).
import { describe, expect, it } from 'vitest';
import { auditTableCaption, localDayStartIso, toAuditQuery, validateAuditFilter } from './auditFilter';

describe('toAuditQuery', () => {
  it('omits blank filters', () => {
    expect(toAuditQuery({ patient: ' ', user: '', from: '', to: '' })).toEqual({});
  });
  it('covers whole local days', () => {
    const query = toAuditQuery({ patient: '12', user: ' demo.nurse ', from: '2026-03-01', to: '2026-03-01' });
    expect(query.patient).toBe('12');
    expect(query.user).toBe('demo.nurse');
    expect(query.from).toBe(new Date(2026, 2, 1).toISOString().replace('.000Z', 'Z'));
    expect(query.to).toBe(new Date(2026, 2, 2).toISOString().replace('.000Z', 'Z'));
    expect(localDayStartIso('2026-03-01')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });
});

describe('validateAuditFilter', () => {
  it('needs a numeric patient id and an ordered range', () => {
    expect(validateAuditFilter({ patient: 'abc', user: '', from: '', to: '' })['patient']).toBeDefined();
    expect(validateAuditFilter({ patient: '', user: '', from: '2026-03-02', to: '2026-03-01' })['to']).toBeDefined();
    expect(validateAuditFilter({ patient: '5', user: 'x', from: '2026-03-01', to: '2026-03-02' })).toEqual({});
  });
});

describe('auditTableCaption', () => {
  it('names the filter the rows answer', () => {
    expect(auditTableCaption({ patient: '', user: ' ', from: '', to: '' })).toBe('Audit events, newest first');
    expect(auditTableCaption({ patient: ' 12 ', user: 'demo.nurse', from: '', to: '' })).toBe(
      'Audit events of patient 12 by demo.nurse, newest first',
    );
    expect(auditTableCaption({ patient: '', user: '', from: '2026-03-01', to: '2026-03-02' })).toBe(
      'Audit events from 2026-03-01 to 2026-03-02, newest first',
    );
  });
});
