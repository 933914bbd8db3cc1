import { describe, expect, it } from 'vitest';
import { ACTION_NOTE_MAX, actionNoteError, alertOrder } from './actionNote';

describe('actionNoteError', () => {
  it('requires a note that is not only spaces', () => {
    expect(actionNoteError('')).not.toBeNull();
    expect(actionNoteError('   ')).not.toBeNull();
    expect(actionNoteError('Phoned the patient; safety plan reviewed.')).toBeNull();
  });
  it('accepts exactly the maximum and refuses one more', () => {
    expect(actionNoteError('a'.repeat(ACTION_NOTE_MAX))).toBeNull();
    expect(actionNoteError('a'.repeat(ACTION_NOTE_MAX + 1))).not.toBeNull();
  });
});

describe('alertOrder', () => {
  it('puts urgent alerts first, newest first within a severity', () => {
    const alerts = [
      { id: 1, severity: 'advisory' },
      { id: 2, severity: 'urgent' },
      { id: 3, severity: 'advisory' },
      { id: 4, severity: 'urgent' },
    ];
    expect([...alerts].sort(alertOrder).map((a) => a.id)).toEqual([4, 2, 3, 1]);
  });
});
