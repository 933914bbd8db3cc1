import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { IntegrationNote } from '../api/integration';
import { placeError } from '../sessions/sessionLogic';
import { correctionForm, correctionsOf, emptyNoteForm, latestMeasures, newestFirst, NOTE_FORM_PATHS, noteBody, withOlderSessions } from './integrationLogic';

const note = (id: number, extra: Partial<IntegrationNote> = {}): IntegrationNote => ({
  id,
  session_id: 7,
  format: 'dap',
  fields: { data: 'Vivid imagery', assessment: 'Processing grief', plan: 'Journal daily' },
  homework: 'Journal',
  coping_plan: 'Breathing',
  amends_id: null,
  signed_at: `2026-12-0${id}T10:00:00Z`,
  signed_by: 'demo.therapist',
  ...extra,
});

describe('noteBody', () => {
  it('asks for the session before sending anything', () => {
    const built = noteBody(emptyNoteForm());
    expect(built.body).toBeNull();
    expect(built.errors.session_id).toMatch(/choose the dosing session/);
  });

  it('sends only the chosen format fields, empty ones as empty text for the server to name', () => {
    const form = { ...emptyNoteForm('12'), fields: { subjective: 'Calm', data: 'left from DAP', plan: 'Walk' } };
    expect(noteBody(form).body).toEqual({
      session_id: 12,
      format: 'soap',
      fields: { subjective: 'Calm', objective: '', assessment: '', plan: 'Walk' },
      homework: '',
      coping_plan: '',
    });
    const dap = noteBody({ ...form, format: 'dap' }).body;
    expect(dap?.fields).toEqual({ data: 'left from DAP', assessment: '', plan: 'Walk' });
    expect(dap && 'amends_id' in dap).toBe(false);
  });

  it('a correction starts from the corrected note and names it', () => {
    const form = correctionForm(note(3));
    expect(form.amends_id).toBe(3);
    form.homework = 'Journal twice a week';
    const body = noteBody(form).body;
    expect(body).toMatchObject({ session_id: 7, format: 'dap', amends_id: 3, homework: 'Journal twice a week', fields: note(3).fields });
  });

  it('places the server error on the field it names', () => {
    const placed = placeError(new ApiError(400, 'invalid_input', 'is required', 'fields.subjective'), NOTE_FORM_PATHS);
    expect(placed).toEqual({ fieldErrors: { 'fields.subjective': 'is required' }, message: null });
    expect(placeError(new ApiError(404, 'not_found', 'patient not found'), NOTE_FORM_PATHS).message).toBe('patient not found');
  });
});

describe('the note list', () => {
  it('marks each corrected note with its corrections and lists newest first', () => {
    const notes = [note(4, { amends_id: 1 }), note(2), note(3, { amends_id: 1 }), note(1)];
    expect(correctionsOf(notes)).toEqual(new Map([[1, [3, 4]]]));
    expect(newestFirst(notes).map((n) => n.id)).toEqual([4, 3, 2, 1]);
  });
});

describe('latestMeasures', () => {
  it('keeps the most recent scored total of each instrument', () => {
    const row = (instrument: string, at: string, total: number | null) => ({ instrument, administered_at: at, total, band: null, alerts: [] });
    const latest = latestMeasures([
      row('phq9', '2026-11-01T09:00:00Z', 20),
      row('gad7', '2026-11-02T09:00:00Z', 9),
      row('phq9', '2026-11-20T09:00:00Z', 12),
      row('phq9', '2026-11-10T09:00:00Z', 8),
      row('gad7', '2026-11-30T09:00:00Z', null),
    ]);
    expect(latest.map((r) => [r.instrument, r.total])).toEqual([
      ['gad7', 9],
      ['phq9', 12],
    ]);
  });
});

describe('withOlderSessions', () => {
  const session = (id: number) => ({ id, protocol_id: 'iv-racemic-ketamine', checked_in_at: '', chair: '', last_event: 'discharge', note_signed_at: null, integration_notes: 0 });
  it('appends the older pages to the latest, latest first, each session once', () => {
    expect(withOlderSessions([session(30), session(29)], []).map((s) => s.id)).toEqual([30, 29]);
    expect(withOlderSessions([session(30), session(29)], [session(12), session(11)]).map((s) => s.id)).toEqual([30, 29, 12, 11]);
    // A session checked in after the summary was read and a page that overlaps it.
    expect(withOlderSessions([session(31), session(30), session(29)], [session(29), session(28)]).map((s) => s.id)).toEqual([31, 30, 29, 28]);
  });
});
