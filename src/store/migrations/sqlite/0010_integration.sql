-- Integration psychotherapy (issue 7): a therapist's note on the dosing
-- session it integrates, in SOAP or DAP form, with homework and a coping
-- plan. Saving a note signs it (its author, at that time); a correction is a
-- new note that names the one it amends. Nothing is edited or deleted.
CREATE TABLE integration_notes (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  session_id INTEGER NOT NULL REFERENCES dosing_sessions(id),
  format TEXT NOT NULL CHECK (format IN ('soap', 'dap')),
  fields TEXT NOT NULL,
  homework TEXT NOT NULL,
  coping_plan TEXT NOT NULL,
  amends_id INTEGER REFERENCES integration_notes(id),
  signed_at TEXT NOT NULL,
  signed_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX integration_notes_patient ON integration_notes (patient_id, id);

CREATE TRIGGER integration_notes_no_update BEFORE UPDATE ON integration_notes
  BEGIN SELECT RAISE(ABORT, 'integration notes are append-only'); END;
CREATE TRIGGER integration_notes_no_delete BEFORE DELETE ON integration_notes
  BEGIN SELECT RAISE(ABORT, 'integration notes are append-only'); END;
