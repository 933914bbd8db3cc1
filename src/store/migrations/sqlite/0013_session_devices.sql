-- Esketamine devices on the session timeline (docs/sessions.md "Esketamine
-- devices"): the event kind 'device'. SQLite cannot alter a CHECK, so the
-- table is rebuilt with its rows, its constraints and its append-only triggers
-- (the implicit delete of DROP TABLE fires no triggers; nothing references it).
CREATE TABLE session_events_v2 (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  session_id INTEGER NOT NULL REFERENCES dosing_sessions(id),
  sequence INTEGER NOT NULL CHECK (sequence > 0),
  kind TEXT NOT NULL CHECK (kind IN ('check_in', 'readiness', 'dose_order', 'start', 'device', 'rate_change', 'pause',
    'resume', 'stop', 'rescue_medication', 'vitals', 'score', 'adverse_event', 'ready_for_discharge', 'discharge',
    'cancel')),
  occurred_at TEXT NOT NULL,
  data TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users(id),
  UNIQUE (session_id, sequence)
);
INSERT INTO session_events_v2 (id, clinic_id, session_id, sequence, kind, occurred_at, data, recorded_at, recorded_by)
  SELECT id, clinic_id, session_id, sequence, kind, occurred_at, data, recorded_at, recorded_by FROM session_events;
DROP TABLE session_events;
ALTER TABLE session_events_v2 RENAME TO session_events;
CREATE TRIGGER session_events_no_update BEFORE UPDATE ON session_events
  BEGIN SELECT RAISE(ABORT, 'session events are append-only'); END;
CREATE TRIGGER session_events_no_delete BEFORE DELETE ON session_events
  BEGIN SELECT RAISE(ABORT, 'session events are append-only'); END;
