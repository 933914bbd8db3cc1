-- The dosing session (issue 7): a patient's visit to a chair under one
-- protocol version of a treatment course, and its timeline of append-only
-- events (check-in, readiness checklists, the dose order, start, rate
-- changes, pauses, vitals, scores, rescue medication, adverse events,
-- recovery, discharge). The session's phase is computed from its events;
-- concurrent writers collide on (session_id, sequence). The note is saved as
-- versions until the prescriber signs it; a signed note takes no new version
-- (a trigger refuses it), only signed addenda.
CREATE TABLE dosing_sessions (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  course_id INTEGER NOT NULL REFERENCES treatment_courses(id),
  protocol_id TEXT NOT NULL,
  protocol_version INTEGER NOT NULL,
  appointment_id INTEGER,
  chair TEXT NOT NULL,
  checked_in_at TEXT NOT NULL,
  checked_in_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX dosing_sessions_clinic_day ON dosing_sessions (clinic_id, checked_in_at);
CREATE INDEX dosing_sessions_patient ON dosing_sessions (patient_id, id);

CREATE TABLE session_events (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  session_id INTEGER NOT NULL REFERENCES dosing_sessions(id),
  sequence INTEGER NOT NULL CHECK (sequence > 0),
  kind TEXT NOT NULL CHECK (kind IN ('check_in', 'readiness', 'dose_order', 'start', 'rate_change', 'pause',
    'resume', 'stop', 'rescue_medication', 'vitals', 'score', 'adverse_event', 'ready_for_discharge', 'discharge',
    'cancel')),
  occurred_at TEXT NOT NULL,
  data TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users(id),
  UNIQUE (session_id, sequence)
);

CREATE TABLE session_note_versions (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  session_id INTEGER NOT NULL REFERENCES dosing_sessions(id),
  version INTEGER NOT NULL CHECK (version > 0),
  fields TEXT NOT NULL,
  saved_at TEXT NOT NULL,
  saved_by INTEGER NOT NULL REFERENCES users(id),
  UNIQUE (session_id, version)
);

CREATE TABLE session_note_signatures (
  session_id INTEGER PRIMARY KEY REFERENCES dosing_sessions(id),
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  note_version_id INTEGER NOT NULL REFERENCES session_note_versions(id),
  signed_at TEXT NOT NULL,
  signed_by INTEGER NOT NULL REFERENCES users(id)
);

CREATE TABLE session_note_addenda (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  session_id INTEGER NOT NULL REFERENCES session_note_signatures(session_id),
  text TEXT NOT NULL CHECK (length(text) > 0),
  signed_at TEXT NOT NULL,
  signed_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX session_note_addenda_session ON session_note_addenda (session_id, id);

CREATE TRIGGER session_note_locked BEFORE INSERT ON session_note_versions
  WHEN EXISTS (SELECT 1 FROM session_note_signatures WHERE session_id = NEW.session_id)
  BEGIN SELECT RAISE(ABORT, 'the note is signed and locked; add an addendum'); END;

CREATE TRIGGER dosing_sessions_no_update BEFORE UPDATE ON dosing_sessions
  BEGIN SELECT RAISE(ABORT, 'dosing sessions are append-only'); END;
CREATE TRIGGER dosing_sessions_no_delete BEFORE DELETE ON dosing_sessions
  BEGIN SELECT RAISE(ABORT, 'dosing sessions are append-only'); END;
CREATE TRIGGER session_events_no_update BEFORE UPDATE ON session_events
  BEGIN SELECT RAISE(ABORT, 'session events are append-only'); END;
CREATE TRIGGER session_events_no_delete BEFORE DELETE ON session_events
  BEGIN SELECT RAISE(ABORT, 'session events are append-only'); END;
CREATE TRIGGER session_note_versions_no_update BEFORE UPDATE ON session_note_versions
  BEGIN SELECT RAISE(ABORT, 'session note versions are append-only'); END;
CREATE TRIGGER session_note_versions_no_delete BEFORE DELETE ON session_note_versions
  BEGIN SELECT RAISE(ABORT, 'session note versions are append-only'); END;
CREATE TRIGGER session_note_signatures_no_update BEFORE UPDATE ON session_note_signatures
  BEGIN SELECT RAISE(ABORT, 'session note signatures are append-only'); END;
CREATE TRIGGER session_note_signatures_no_delete BEFORE DELETE ON session_note_signatures
  BEGIN SELECT RAISE(ABORT, 'session note signatures are append-only'); END;
CREATE TRIGGER session_note_addenda_no_update BEFORE UPDATE ON session_note_addenda
  BEGIN SELECT RAISE(ABORT, 'session note addenda are append-only'); END;
CREATE TRIGGER session_note_addenda_no_delete BEFORE DELETE ON session_note_addenda
  BEGIN SELECT RAISE(ABORT, 'session note addenda are append-only'); END;
