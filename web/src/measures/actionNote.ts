// The action note that acknowledges a safety alert: what was done (e.g. "phoned the patient,
// safety plan reviewed"). Required, at most 1000 characters (the server's rule, checked here
// first so the clinician sees the message next to the field).
export const ACTION_NOTE_MAX = 1000;

/** The error for an action note, or null when it may be sent. */
export function actionNoteError(note: string): string | null {
  const trimmed = note.trim();
  if (trimmed === '') return 'Describe the action taken before acknowledging.';
  if (trimmed.length > ACTION_NOTE_MAX) return `Keep the note to ${ACTION_NOTE_MAX} characters or fewer.`;
  return null;
}

/** Urgent alerts first, then newest first. */
export function alertOrder(a: { severity: string; id: number }, b: { severity: string; id: number }): number {
  if (a.severity !== b.severity) return a.severity === 'urgent' ? -1 : 1;
  return b.id - a.id;
}
