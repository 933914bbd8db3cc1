-- Bedside monitors (issue 5): the devices that send HL7 v2 / IHE PCD-01, the
-- messages received (MSH-10 unique per clinic, so a resent message is stored
-- once) and every observation as read (canonical LOINC/UCUM where mapped, raw
-- otherwise). Messages and observations are clinical records: append-only.
-- Assigning queued observations to a session, or discarding them, will be
-- recorded in rows of their own, never by changing these.
CREATE TABLE monitor_devices (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  device_id TEXT NOT NULL,
  chair TEXT,
  first_seen_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  UNIQUE (clinic_id, device_id)
);

CREATE TABLE monitor_messages (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  control_id TEXT NOT NULL,
  sending_application TEXT NOT NULL,
  peer TEXT NOT NULL,
  received_at TEXT NOT NULL,
  observation_count INTEGER NOT NULL,
  UNIQUE (clinic_id, control_id)
);

CREATE TABLE monitor_observations (
  id INTEGER PRIMARY KEY,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id),
  message_id INTEGER NOT NULL REFERENCES monitor_messages(id),
  device_id TEXT NOT NULL,
  containment_id TEXT NOT NULL,
  code TEXT NOT NULL,
  code_system TEXT NOT NULL,
  code_name TEXT NOT NULL,
  loinc TEXT,
  state TEXT NOT NULL CHECK (state IN ('measured', 'not_available', 'no_sensor', 'cannot_be_obtained', 'withdrawn')),
  value TEXT,
  value_text TEXT NOT NULL,
  unit TEXT,
  unit_as_sent TEXT NOT NULL,
  result_status TEXT NOT NULL,
  observed_at TEXT NOT NULL,
  received_at TEXT NOT NULL
);
CREATE INDEX monitor_observations_clinic ON monitor_observations (clinic_id, id);
CREATE INDEX monitor_observations_device ON monitor_observations (clinic_id, device_id, observed_at);

CREATE TRIGGER monitor_messages_no_update BEFORE UPDATE ON monitor_messages
  BEGIN SELECT RAISE(ABORT, 'monitor messages are append-only'); END;
CREATE TRIGGER monitor_messages_no_delete BEFORE DELETE ON monitor_messages
  BEGIN SELECT RAISE(ABORT, 'monitor messages are append-only'); END;
CREATE TRIGGER monitor_observations_no_update BEFORE UPDATE ON monitor_observations
  BEGIN SELECT RAISE(ABORT, 'monitor observations are append-only'); END;
CREATE TRIGGER monitor_observations_no_delete BEFORE DELETE ON monitor_observations
  BEGIN SELECT RAISE(ABORT, 'monitor observations are append-only'); END;
