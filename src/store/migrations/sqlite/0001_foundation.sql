-- KetaChart foundation schema (SQLite). Clinical rows belong to a clinic;
-- patient changes are kept as versions; audit events are append-only and
-- hash-chained. Timestamps are UTC ISO-8601 text; booleans are 0/1.
CREATE TABLE clinics (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  timezone TEXT NOT NULL,
  next_mrn INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  created_at TEXT NOT NULL,
  password_changed_at TEXT NOT NULL
);

CREATE TABLE user_clinic_roles (
  user_id INTEGER NOT NULL REFERENCES users(id),
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  role TEXT NOT NULL,
  granted_at TEXT NOT NULL,
  PRIMARY KEY (user_id, clinic_id, role)
);

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id),
  active_clinic_id INTEGER REFERENCES clinics(id),
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  client_address TEXT NOT NULL,
  ended_at TEXT
);

CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY,
  occurred_at TEXT NOT NULL,
  user_id INTEGER,
  username TEXT NOT NULL,
  clinic_id INTEGER,
  action TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  patient_id INTEGER,
  outcome TEXT NOT NULL,
  client_address TEXT NOT NULL,
  detail TEXT NOT NULL,
  previous_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_events_patient ON audit_events (patient_id, id);
CREATE INDEX audit_events_user ON audit_events (user_id, id);
CREATE INDEX audit_events_time ON audit_events (occurred_at);

-- One row: the chain's head. Updating it serialises audit writers so the
-- chain never forks under concurrent transactions.
CREATE TABLE audit_chain_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_event_id INTEGER NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_chain_head (id, last_event_id, last_hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE patients (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  mrn TEXT NOT NULL,
  family_name TEXT NOT NULL,
  given_names TEXT NOT NULL,
  search_family_first TEXT NOT NULL,
  search_given_first TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  version INTEGER NOT NULL,
  document TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  updated_at TEXT NOT NULL,
  updated_by INTEGER NOT NULL REFERENCES users(id),
  UNIQUE (clinic_id, mrn)
);
CREATE INDEX patients_family_first ON patients (clinic_id, search_family_first);
CREATE INDEX patients_given_first ON patients (clinic_id, search_given_first);
CREATE INDEX patients_birth_date ON patients (clinic_id, birth_date);

CREATE TABLE patient_versions (
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  version INTEGER NOT NULL,
  document TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users(id),
  change_reason TEXT NOT NULL,
  PRIMARY KEY (patient_id, version)
);

-- Weight and height as dated, append-only measurements (dosing reads the
-- latest weight and records which one it used). Exact integers: grams, mm.
CREATE TABLE patient_body_measurements (
  id INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  kind TEXT NOT NULL CHECK (kind IN ('weight', 'height')),
  value INTEGER NOT NULL,
  measured_on TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users(id),
  note TEXT NOT NULL
);
CREATE INDEX patient_body_measurements_patient ON patient_body_measurements (patient_id, kind, measured_on);

-- Append-only: no UPDATE or DELETE of clinical history or audit rows.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER patient_versions_no_update BEFORE UPDATE ON patient_versions
  BEGIN SELECT RAISE(ABORT, 'patient versions are append-only'); END;
CREATE TRIGGER patient_versions_no_delete BEFORE DELETE ON patient_versions
  BEGIN SELECT RAISE(ABORT, 'patient versions are append-only'); END;
CREATE TRIGGER patient_body_measurements_no_update BEFORE UPDATE ON patient_body_measurements
  BEGIN SELECT RAISE(ABORT, 'body measurements are append-only'); END;
CREATE TRIGGER patient_body_measurements_no_delete BEFORE DELETE ON patient_body_measurements
  BEGIN SELECT RAISE(ABORT, 'body measurements are append-only'); END;
CREATE TRIGGER patients_no_delete BEFORE DELETE ON patients
  BEGIN SELECT RAISE(ABORT, 'patients are never deleted'); END;
