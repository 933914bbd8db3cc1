// Audit filter form values -> API query: trims text, and turns the "from"/"to" dates
// (the user's local calendar days) into ISO 8601 UTC instants covering whole days; and the
// table's caption naming the filter its rows answer.
import type { AuditFilter } from '../api/types';
import { isBlank, isCalendarDate } from '../lib/validation';

export interface AuditFilterValues {
  patient: string;
  user: string;
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilterValues = { patient: '', user: '', from: '', to: '' };

/** Local midnight starting the given YYYY-MM-DD (plus `days`), as "2026-01-02T05:00:00Z". */
export function localDayStartIso(date: string, days = 0): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + days).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function validateAuditFilter(v: AuditFilterValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!isBlank(v.patient) && !/^\d+$/.test(v.patient.trim())) errors['patient'] = 'Patient id must be a number.';
  if (!isBlank(v.from) && !isCalendarDate(v.from)) errors['from'] = 'From must be a date (YYYY-MM-DD).';
  if (!isBlank(v.to) && !isCalendarDate(v.to)) errors['to'] = 'To must be a date (YYYY-MM-DD).';
  if (!errors['from'] && !errors['to'] && v.from && v.to && v.from > v.to) errors['to'] = 'To must not be before From.';
  return errors;
}

/** "to" covers the whole chosen day: it is sent as the start of the following day. */
export function toAuditQuery(v: AuditFilterValues): AuditFilter {
  const query: AuditFilter = {};
  if (!isBlank(v.patient)) query.patient = v.patient.trim();
  if (!isBlank(v.user)) query.user = v.user.trim();
  if (!isBlank(v.from)) query.from = localDayStartIso(v.from);
  if (!isBlank(v.to)) query.to = localDayStartIso(v.to, 1);
  return query;
}

/**
 * The audit table's caption (its accessible name): which filter the rows shown answer, so a
 * screen reader, and a test, can tell the filtered rows from the ones shown before.
 */
export function auditTableCaption(v: AuditFilterValues): string {
  const parts: string[] = [];
  if (!isBlank(v.patient)) parts.push(`of patient ${v.patient.trim()}`);
  if (!isBlank(v.user)) parts.push(`by ${v.user.trim()}`);
  if (!isBlank(v.from)) parts.push(`from ${v.from}`);
  if (!isBlank(v.to)) parts.push(`to ${v.to}`);
  return ['Audit events', ...parts].join(' ') + ', newest first';
}
