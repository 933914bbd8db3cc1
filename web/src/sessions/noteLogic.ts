// Pure logic of the note tab: the fields in order, whether the form differs from the saved
// version, and which fields a refused signature marks.
import type { NoteFields } from '../api/sessions';

export const NOTE_FIELDS: readonly { key: keyof NoteFields; label: string }[] = [
  { key: 'assessment', label: 'Assessment' },
  { key: 'response', label: 'Response' },
  { key: 'plan', label: 'Plan' },
  { key: 'complications', label: 'Complications' },
];

export function notesDiffer(a: NoteFields, b: NoteFields): boolean {
  return NOTE_FIELDS.some(({ key }) => (a[key] ?? '') !== (b[key] ?? ''));
}

/**
 * Field errors after a refused signature: the server names the first open field
 * ("fields.response"); every field still open in the saved note is marked, since the
 * message lists them all.
 */
export function noteFieldErrors(field: string | null, open: readonly (keyof NoteFields)[]): Record<string, string> {
  if (!field?.startsWith('fields.')) return {};
  const errors: Record<string, string> = {};
  const names = new Set<string>([field.slice('fields.'.length), ...open]);
  for (const name of names) errors[`fields.${name}`] = 'is required before signing';
  return errors;
}
